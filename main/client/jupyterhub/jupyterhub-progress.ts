/**
 * JupyterHub's spawn progress stream (`…/progress`): `data:`-only Server-Sent Events carrying
 * `{progress, message, ready?, failed?, url?}`, ending after the final (ready or failed) event. It is
 * opened while the start request is still in flight, so its first answers may be 404 (a named server
 * the POST has not created yet) or 400 ("not starting" before the POST is processed): those are retried
 * briefly. A failed spawn's reason exists only here ("Spawn failed: …"), never in the POST's 500.
 */
import { z } from 'zod';
import { SseReader } from '../sse-reader';

const RETRY_MS = 50;
/** A start that waits long (a throttled hub) must not turn into a stream of progress requests. */
const MAX_RETRY_MS = 1_000;

const eventSchema = z.object({
  progress: z.number().optional(),
  message: z.string().optional(),
  ready: z.boolean().optional(),
  failed: z.boolean().optional(),
  url: z.string().optional(),
});
export type JupyterHubProgress = z.infer<typeof eventSchema>;

export interface FollowOptions {
  url: string;
  token: string;
  onEvent?: (e: JupyterHubProgress) => void;
  signal: AbortSignal;
  /** Whether a 404/400 may still be "too early" and worth another try. */
  mayRetry: () => boolean;
}

/** Follows the stream to its end; resolves with the final event, or null if there was none. */
export async function followProgress(o: FollowOptions): Promise<JupyterHubProgress | null> {
  for (let attempt = 0; ; attempt++) {
    if (o.signal.aborted) return null;
    let res: Response;
    try {
      res = await fetch(o.url, { headers: { Authorization: `token ${o.token}`, Accept: 'text/event-stream' }, signal: o.signal });
    } catch {
      return null; // aborted, or the hub went away: progress is advisory, the start's answer decides
    }
    if (res.ok) return readEvents(res, o);
    await res.body?.cancel();
    if ((res.status !== 404 && res.status !== 400) || !o.mayRetry()) return null;
    await sleep(Math.min(RETRY_MS * 1.5 ** attempt, MAX_RETRY_MS), o.signal);
  }
}

async function readEvents(res: Response, o: FollowOptions): Promise<JupyterHubProgress | null> {
  const parser = new SseReader();
  const decoder = new TextDecoder();
  let final: JupyterHubProgress | null = null;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (const e of parser.push(decoder.decode(chunk, { stream: true }))) {
        const event = parseEvent(e.data);
        if (!event) continue;
        o.onEvent?.(event);
        if (event.ready || event.failed) final = event;
      }
      if (final) break;
    }
  } catch {
    // aborted or cut off: whatever arrived stands
  }
  return final;
}

function parseEvent(data: string): JupyterHubProgress | null {
  try {
    const r = eventSchema.safeParse(JSON.parse(data));
    return r.success ? r.data : null;
  } catch {
    return null; // keepalives and anything not JSON
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/**
 * Readiness: a workspace is ready when its web port answers HTTP (any status: a 302 to a login page
 * is an answer). The probe goes through the engine's connect(), so it works for remote engines too.
 * If the workspace stops or the time runs out, the error carries its last log lines.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { HubdeckError, errorMessage } from '../core/errors';
import type { WorkspaceEngine, WorkspaceRef, WorkspaceState } from './engine';

export interface ReadinessProbe {
  connect(): Promise<Duplex>;
  /** The current state, checked between failed probes to notice a workspace that exited. */
  state(): Promise<{ state: WorkspaceState; status: string } | null>;
  lastLogs(lines: number): Promise<string>;
  path: string;
  label: string;
}

/** One HTTP GET over a stream from connect(); resolves with the status code. */
export function httpProbe(stream: Duplex, path: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { path, method: 'GET', headers: { host: 'localhost', connection: 'close' }, createConnection: () => stream as never },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        stream.destroy();
      },
    );
    // A timer, not req.setTimeout: exec and ssh channel streams are not sockets.
    const timer = setTimeout(() => req.destroy(new Error('probe timed out')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => {
      stream.destroy();
      reject(e);
    });
    req.end();
  });
}

export interface WaitReadyOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves once the workspace's web port answers HTTP under its base URL; rejects with the last
 * log lines when it exits first or the time runs out. Works on every engine through connect().
 */
export async function waitReady(engine: WorkspaceEngine, ref: WorkspaceRef, opts: WaitReadyOptions = {}): Promise<void> {
  const w = await engine.get(ref);
  if (!w) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
  const port = w.spec?.webPort ?? 8888;
  const probe: ReadinessProbe = {
    connect: () => engine.connect(ref, port),
    state: async () => {
      const cur = await engine.get(ref);
      return cur && { state: cur.state, status: cur.status };
    },
    lastLogs: async (n) => {
      let text = '';
      for await (const chunk of engine.logs(ref, { tail: n })) text += chunk;
      return text;
    },
    path: w.baseUrl,
    label: `workspace "${ref.name}" of ${ref.user}`,
  };
  await waitForHttp(probe, opts.timeoutMs, opts.signal);
}

/**
 * Waits `ms`, or less when `signal` aborts: then it rejects with the signal's reason, or resolves
 * when `onAbort` is 'resolve' (a loop that checks the signal itself). Its abort listener goes when
 * the time is up: loops that sleep on one long-lived signal (readiness, stats every second) once
 * left one per turn, and Node warned MaxListenersExceededWarning after ten.
 */
export function sleep(ms: number, signal?: AbortSignal, onAbort: 'reject' | 'resolve' = 'reject'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const aborted = () => {
      clearTimeout(t);
      if (onAbort === 'resolve') resolve();
      else reject(signal?.reason ?? new Error('aborted'));
    };
    const t = setTimeout(() => { signal?.removeEventListener('abort', aborted); resolve(); }, ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

const STOPPED: WorkspaceState[] = ['stopped', 'failed', 'removing'];

export async function waitForHttp(p: ReadinessProbe, timeoutMs = 120_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      await httpProbe(await p.connect(), p.path, Math.min(5000, Math.max(500, deadline - Date.now())));
      return;
    } catch (e) {
      lastError = errorMessage(e);
    }
    // Checking the state costs an API call: do it every few attempts, not on every retry.
    if (attempt % 4 === 3) await failIfStopped(p);
    if (Date.now() >= deadline) {
      const logs = await p.lastLogs(20).catch(() => '');
      throw new HubdeckError('timeout', `${p.label} was not ready after ${Math.round(timeoutMs / 1000)} s (${lastError})${logTail(logs)}`);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), signal);
    delay = Math.min(500, delay * 1.5);
  }
}

async function failIfStopped(p: ReadinessProbe): Promise<void> {
  const s = await p.state();
  if (!s) throw new HubdeckError('not_found', `${p.label} disappeared while starting`);
  if (STOPPED.includes(s.state)) {
    const logs = await p.lastLogs(20).catch(() => '');
    throw new HubdeckError('engine', `${p.label} exited before it was ready (${s.status})${logTail(logs)}`);
  }
}

function logTail(logs: string): string {
  const t = logs.trim();
  return t ? `; last log lines:\n${t}` : '; it wrote no logs';
}

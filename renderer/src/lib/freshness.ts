/**
 * How fresh a polled hub's state is (one with no event stream, e.g. a connected JupyterHub): the app
 * polls it and says when it last looked (or why it could not), from the `hub.polled` events.
 */

export interface PollResult {
  ok: boolean;
  error?: string;
  nextInSeconds: number;
  at: string;
}

const secondsBetween = (from: number, to: number) => Math.max(0, Math.round((to - from) / 1000));

/** `product`: what the hub is called (its capabilities' product). */
export function freshnessText(poll: PollResult | null, pollSeconds: number, now: number, product: string): string {
  const head = `${product} has no event stream: checked every ${pollSeconds} s`;
  if (!poll) return `${head} · waiting for the first check`;
  const at = Date.parse(poll.at);
  if (!Number.isFinite(at)) return `${head} · last check at an unknown time`;
  if (poll.ok) return `${head} · last checked ${secondsBetween(at, now)} s ago`;
  const next = Math.max(0, poll.nextInSeconds - secondsBetween(at, now));
  return `${head} · did not answer: ${poll.error ?? 'no reason given'}; next try in ${next} s`;
}

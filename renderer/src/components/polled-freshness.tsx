/**
 * The freshness line of a hub with no event stream (capabilities.pollSeconds set, e.g. a connected
 * JupyterHub): the app polls it; this says how often, when it last answered, or why it did not and
 * when the next try is (hub.polled events).
 */
import { useState } from 'react';
import type { HubEvent } from '../../../main/api/events';
import { freshnessText, type PollResult } from '../lib/freshness';
import { useHub, useHubEvents } from '../lib/hub-context';
import { useNow } from '../lib/use-now';

type Polled = Extract<HubEvent, { type: 'hub.polled' }>;

export function PolledFreshness({ pollSeconds, product }: { pollSeconds: number; product: string }) {
  const { events } = useHub();
  // A page opened between two polls starts from the last one the app has seen.
  const [poll, setPoll] = useState<PollResult | null>(() => [...events.recent()].reverse().find((e): e is Polled => e.type === 'hub.polled') ?? null);
  const now = useNow(1000);
  useHubEvents((e) => { if (e.type === 'hub.polled') setPoll(e); });
  // Not a live region: it ticks every second, and a screen reader would read every tick.
  return <p className={poll && !poll.ok ? 'alert' : 'muted'} data-testid="freshness">{freshnessText(poll, pollSeconds, now, product)}</p>;
}

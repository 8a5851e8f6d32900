/**
 * Admin: the hub's persisted audit log (audit-log.tsx), and below it the events as they happen
 * (state changes, expiry, culling, users, tokens, cleanup) since the page connected.
 */
import { useState } from 'react';
import type { HubEvent } from '../../../../main/api/events';
import { useHub, useHubEvents } from '../../lib/hub-context';
import { AuditLogSection } from './audit-log';

/** One line per event, in words. */
export function describeEvent(e: HubEvent): string {
  switch (e.type) {
    case 'workspace.state': return `${e.user}/${e.name} is ${e.state}`;
    case 'workspace.progress': return `${e.user}/${e.name}: ${e.progress.message}`;
    case 'workspace.removed': return `${e.user}/${e.name} was removed`;
    case 'workspace.expiring': return `${e.user}/${e.name} expires at ${e.expiresAt}`;
    case 'workspace.expired': return `${e.user}/${e.name} expired (${e.action})`;
    case 'workspace.extended': return `${e.user}/${e.name} now expires at ${e.expiresAt}`;
    case 'workspace.culled': return `${e.user}/${e.name} stopped after ${e.idleMinutes} idle minutes`;
    case 'user.changed': return `user ${e.user} ${e.change}`;
    case 'token.changed': return `token ${e.id} of ${e.user} ${e.change}`;
    case 'cleanup.done': return `cleanup ${e.dryRun ? '(dry run) would remove' : 'removed'} ${e.removed}`;
    case 'hub.polled': return e.ok ? 'hub polled' : `hub did not answer: ${e.error ?? 'no reason given'}`;
  }
}

export function EventsSection() {
  return (
    <>
      <AuditLogSection />
      <LiveEvents />
    </>
  );
}

function LiveEvents() {
  const { events } = useHub();
  const [list, setList] = useState<readonly HubEvent[]>(() => [...events.recent()]);
  useHubEvents((e) => { if (e.type !== 'workspace.progress') setList([...events.recent()]); });
  return (
    <section aria-labelledby="live-h">
      <h2 id="live-h">Live events</h2>
      <p className="muted">Since this page connected; newest first. Updates live.</p>
      <ol className="event-log panel" aria-live="polite" aria-relevant="additions" reversed>
        {[...list].reverse().map((e, i) => (
          <li key={`${list.length - i}`}><time className="mono" dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time> <span className="muted">{e.type}</span> {describeEvent(e)}</li>
        ))}
        {list.length === 0 && <li className="muted">No events yet.</li>}
      </ol>
    </section>
  );
}

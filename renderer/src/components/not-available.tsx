/**
 * What the hub does not offer, one line each where those sections would be, with the hub's own
 * reason when it gives one (its capabilities' `why`): the app says so rather than showing empty
 * panels or buttons that can only fail.
 */
import { hubNoun, type Capability, type HubCapabilities } from '../../../main/api/capabilities';

/** The sections a workspace's page and list show for an ability, by the name people know them by. */
const SECTION: Partial<Record<Capability, string>> = {
  stats: 'CPU and memory', logs: 'Logs', terminal: 'Terminal', ssh: 'SSH', extend: 'Expiry',
};

/** The abilities among `what` the hub lacks, in that order. Pure. */
export function missingOf(caps: HubCapabilities, what: readonly Capability[]): Capability[] {
  return what.filter((c) => !caps[c]);
}

/** "CPU and memory: its REST API reports no CPU or memory use." Pure. */
export function notAvailableLine(caps: HubCapabilities, cap: Capability): string {
  return `${SECTION[cap] ?? cap}: ${caps.why[cap] ?? 'not offered by this hub'}.`;
}

/** One line for a table: "Not available on a JupyterHub — CPU and memory: …. Expiry: …." (null when all are there). Pure. */
export function notAvailableSummary(caps: HubCapabilities, what: readonly Capability[]): string | null {
  const missing = missingOf(caps, what);
  return missing.length ? `Not available on ${hubNoun(caps)} — ${missing.map((c) => notAvailableLine(caps, c)).join(' ')}` : null;
}

export function NotAvailable({ caps, what }: { caps: HubCapabilities; what: readonly Capability[] }) {
  const missing = missingOf(caps, what);
  if (!missing.length) return null;
  return (
    <section aria-labelledby="not-available-h" className="panel">
      <h2 id="not-available-h">Not available on {hubNoun(caps)}</h2>
      <ul data-testid="not-available">
        {missing.map((c) => <li key={c}>{notAvailableLine(caps, c)}</li>)}
      </ul>
    </section>
  );
}

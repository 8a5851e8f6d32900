/**
 * The user's workspaces: state, image, limits, expiry with Extend, live CPU/memory, and the
 * actions. Everything changes from hub events as it happens; nothing is polled here. The columns
 * follow the hub's capabilities: on a hub without stats or expiry (a connected JupyterHub) they give
 * way to a line saying why, and on a polled hub the page says how fresh the list is.
 */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { Expiry } from '../components/expiry';
import { Limits, StateBadge } from '../components/limits';
import { Sparkline } from '../components/sparkline';
import { limitsOf } from '../lib/format';
import { WorkspaceActions } from '../components/workspace-actions';
import { useLiveWorkspaces } from '../lib/live-workspaces';
import { hrefOf, navigate } from '../lib/router';
import { AllStatsProvider, useSeries } from '../lib/all-stats';
import { useHub } from '../lib/hub-context';
import { PolledFreshness } from '../components/polled-freshness';
import { notAvailableSummary } from '../components/not-available';
import type { HubCapabilities } from '../../../main/api/capabilities';

function LiveStats({ w }: { w: WorkspaceView }) {
  const { samples, live } = useSeries(w.user, w.name);
  if (w.state !== 'running') return <span className="muted">—</span>;
  if (samples.length === 0) return <span className="muted">{live ? 'waiting…' : 'not connected'}</span>;
  return <Sparkline samples={samples} label={`${w.name} usage`} limitCpus={limitsOf(w).cpus} />;
}

/** The columns a hub's workspaces have: limits where they are made from a spec, expiry and usage where it has them. Pure. */
export function columnsOf(caps: HubCapabilities): { limits: boolean; expiry: boolean; usage: boolean } {
  return { limits: caps.create?.form === 'spec', expiry: caps.extend, usage: caps.stats };
}

export function WorkspaceRow({ w, onError, onChange, showOwner }: { w: WorkspaceView; onError: (m: string | null) => void; onChange: (w: WorkspaceView) => void; showOwner?: boolean }) {
  const col = columnsOf(useHub().info.capabilities);
  return (
    <tr data-workspace={`${w.user}/${w.name}`}>
      {showOwner && <td className="owner">{w.user}</td>}
      <th scope="row" className="name"><a href={hrefOf({ page: 'detail', user: w.user, name: w.name })}>{w.name}</a></th>
      <td><StateBadge w={w} />{w.orphaned && <span className="muted"> (orphaned)</span>}</td>
      <td className="mono image col-image" title={w.image || undefined}>{w.image || '—'}</td>
      {col.limits && <td><Limits w={w} /></td>}
      {col.expiry && <td className="nowrap"><Expiry w={w} onDone={onChange} /></td>}
      {col.usage && <td><LiveStats w={w} /></td>}
      <td><WorkspaceActions w={w} onError={onError} onDone={onChange} /></td>
    </tr>
  );
}

export function WorkspaceTable({ items, onError, onChange, showOwner, caption }: {
  items: WorkspaceView[]; onError: (m: string | null) => void; onChange: (w: WorkspaceView) => void; showOwner?: boolean; caption: string;
}) {
  const caps = useHub().info.capabilities;
  const col = columnsOf(caps);
  const missing = notAvailableSummary(caps, ['stats', 'extend']);
  const table = (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {showOwner && <th scope="col">Owner</th>}
            <th scope="col">Name</th><th scope="col">State</th><th scope="col" className="col-image">Image</th>
            {col.limits && <th scope="col">Limits</th>}
            {col.expiry && <th scope="col">Expiry</th>}
            {col.usage && <th scope="col">CPU / memory</th>}
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => <WorkspaceRow key={`${w.user}/${w.name}`} w={w} onError={onError} onChange={onChange} showOwner={showOwner} />)}
        </tbody>
      </table>
      {missing && <p className="muted" data-testid="not-available">{missing}</p>}
    </div>
  );
  // A hub without stats has no stats stream: no AllStatsProvider (it would ask for one).
  return col.usage ? <AllStatsProvider all={showOwner === true}>{table}</AllStatsProvider> : table;
}

export function WorkspacesPage() {
  const list = useLiveWorkspaces({ all: false });
  const caps = useHub().info.capabilities;
  const [error, setError] = useState<string | null>(null);
  return (
    <main id="main">
      <div className="spread">
        <h1>Workspaces</h1>
        {caps.create && <button type="button" className="primary" onClick={() => navigate({ page: 'new' })}>New workspace</button>}
      </div>
      {caps.pollSeconds !== null && <PolledFreshness pollSeconds={caps.pollSeconds} product={caps.product} />}
      {(error ?? list.error) && <p role="alert" className="alert">{error ?? list.error}</p>}
      {!list.loaded && <p className="muted">Loading…</p>}
      {list.loaded && list.items.length === 0 && !list.error && (
        <p className="notice">No workspaces yet.{caps.create && <> Create one with <strong>New workspace</strong>.</>} <a href={hrefOf({ page: 'welcome' })}>First steps</a></p>
      )}
      {list.items.length > 0 && <WorkspaceTable items={list.items} onError={setError} onChange={list.upsert} caption="Your workspaces" />}
    </main>
  );
}

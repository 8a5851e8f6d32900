/**
 * The user's workspaces: state, image, limits, expiry with Extend, live CPU/memory, and the
 * actions. Everything changes from hub events as it happens; nothing is polled here. On a
 * connected JupyterHub (no stats, no expiry, state polled by the app) those columns give way to a
 * line saying why, and the page says how fresh the list is.
 */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { Expiry } from '../components/expiry';
import { Limits, StateBadge } from '../components/limits';
import { Sparkline } from '../components/sparkline';
import { WorkspaceActions } from '../components/workspace-actions';
import { useLiveWorkspaces } from '../lib/live-workspaces';
import { hrefOf, navigate } from '../lib/router';
import { AllStatsProvider, useSeries } from '../lib/all-stats';
import { useHub } from '../lib/hub-context';
import { JupyterHubFreshness } from '../components/jupyterhub-freshness';
import { NOT_ON_JUPYTERHUB } from '../components/not-on-jupyterhub';

function LiveStats({ w }: { w: WorkspaceView }) {
  const { samples, live } = useSeries(w.user, w.name);
  if (w.state !== 'running') return <span className="muted">—</span>;
  if (samples.length === 0) return <span className="muted">{live ? 'waiting…' : 'not connected'}</span>;
  return <Sparkline samples={samples} label={`${w.name} usage`} />;
}

/** A connected JupyterHub's server: what it can say (its state, the image its options named). */
function JupyterHubRow({ w, onError, onChange }: { w: WorkspaceView; onError: (m: string | null) => void; onChange: (w: WorkspaceView) => void }) {
  return (
    <tr data-workspace={`${w.user}/${w.name}`}>
      <th scope="row"><a href={hrefOf({ page: 'detail', user: w.user, name: w.name })}>{w.name}</a></th>
      <td><StateBadge w={w} /></td>
      <td className="mono">{w.image || '—'}</td>
      <td><WorkspaceActions w={w} onError={onError} onDone={onChange} /></td>
    </tr>
  );
}

export function WorkspaceRow({ w, onError, onChange, showOwner }: { w: WorkspaceView; onError: (m: string | null) => void; onChange: (w: WorkspaceView) => void; showOwner?: boolean }) {
  return (
    <tr data-workspace={`${w.user}/${w.name}`}>
      {showOwner && <td>{w.user}</td>}
      <th scope="row"><a href={hrefOf({ page: 'detail', user: w.user, name: w.name })}>{w.name}</a></th>
      <td><StateBadge w={w} />{w.orphaned && <span className="muted"> (orphaned)</span>}</td>
      <td className="mono">{w.image}</td>
      <td><Limits w={w} /></td>
      <td><Expiry w={w} onError={onError} onDone={onChange} /></td>
      <td><LiveStats w={w} /></td>
      <td><WorkspaceActions w={w} onError={onError} onDone={onChange} /></td>
    </tr>
  );
}

export function WorkspaceTable({ items, onError, onChange, showOwner, caption }: {
  items: WorkspaceView[]; onError: (m: string | null) => void; onChange: (w: WorkspaceView) => void; showOwner?: boolean; caption: string;
}) {
  // A JupyterHub has no stats stream: no AllStatsProvider (it would ask for one), fewer columns.
  if (useHub().info.jupyterhub) {
    return (
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Image</th><th scope="col">Actions</th></tr></thead>
          <tbody>{items.map((w) => <JupyterHubRow key={`${w.user}/${w.name}`} w={w} onError={onError} onChange={onChange} />)}</tbody>
        </table>
        <p className="muted" data-testid="not-on-jupyterhub">Not available on a JupyterHub — {NOT_ON_JUPYTERHUB.usage} {NOT_ON_JUPYTERHUB.expiry}</p>
      </div>
    );
  }
  return (
    <AllStatsProvider all={showOwner === true}>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {showOwner && <th scope="col">Owner</th>}
              <th scope="col">Name</th><th scope="col">State</th><th scope="col">Image</th><th scope="col">Limits</th>
              <th scope="col">Expiry</th><th scope="col">CPU / memory</th><th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => <WorkspaceRow key={`${w.user}/${w.name}`} w={w} onError={onError} onChange={onChange} showOwner={showOwner} />)}
          </tbody>
        </table>
      </div>
    </AllStatsProvider>
  );
}

export function WorkspacesPage() {
  const list = useLiveWorkspaces({ all: false });
  const jupyterhub = useHub().info.jupyterhub;
  const [error, setError] = useState<string | null>(null);
  return (
    <main id="main">
      <div className="spread">
        <h1>Workspaces</h1>
        <button type="button" className="primary" onClick={() => navigate({ page: 'new' })}>New workspace</button>
      </div>
      {jupyterhub && <JupyterHubFreshness pollSeconds={jupyterhub.pollSeconds} />}
      {(error ?? list.error) && <p role="alert" className="alert">{error ?? list.error}</p>}
      {!list.loaded && <p className="muted">Loading…</p>}
      {list.loaded && list.items.length === 0 && !list.error && (
        <p className="notice">No workspaces yet. Create one with <strong>New workspace</strong>.</p>
      )}
      {list.items.length > 0 && <WorkspaceTable items={list.items} onError={setError} onChange={list.upsert} caption="Your workspaces" />}
    </main>
  );
}

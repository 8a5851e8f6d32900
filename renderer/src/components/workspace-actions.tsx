/**
 * The actions on one workspace — Start / Stop / Restart / Open / Copy SSH command / Remove (asking
 * whether to delete its data) — shared by the list and the detail page. Button names are a
 * contract the end-to-end tests and users' muscle memory rely on. Open, Copy SSH command and the
 * data question are offered only where the hub's capabilities say it can (a connected JupyterHub
 * has no SSH gateway and leaves a removed server's data to its spawner).
 */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { copyText, openWorkspace } from '../lib/desktop';
import { useHub } from '../lib/hub-context';
import { sshAliasFor, sshCommandFor } from '../lib/ssh';
import { ConfirmDialog } from './confirm-dialog';
import { errorMessage } from '../../../main/api/error-codes';

const BUSY_STATES = new Set(['creating', 'starting', 'stopping', 'restarting', 'removing']);

export function WorkspaceActions({ w, onError, onDone, onRemoved }: {
  w: WorkspaceView; onError: (m: string | null) => void; onDone?: (w: WorkspaceView) => void; onRemoved?: () => void;
}) {
  const { client, info } = useHub();
  const caps = info.capabilities;
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [deleteData, setDeleteData] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const ref = { user: w.user, name: w.name };
  const transient = BUSY_STATES.has(w.state);
  const running = w.state === 'running';

  const act = async (label: string, fn: () => Promise<WorkspaceView | void>) => {
    setBusy(label);
    onError(null);
    try {
      const r = await fn();
      if (r) onDone?.(r);
    } catch (e) {
      // The hub's own words: it says what went wrong and what to do.
      onError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const copySsh = async () => {
    if (!info.ssh) return;
    const cmd = sshCommandFor(sshAliasFor(ref, info.ssh.alias));
    setCopied((await copyText(cmd)) ? `Copied: ${cmd}` : `Copy this: ${cmd}`);
    setTimeout(() => setCopied(null), 4000);
  };

  return (
    <div className="actions">
      {running
        ? <button type="button" onClick={() => act('Stop', () => client.stopWorkspace(ref))} disabled={busy !== null || transient}>Stop</button>
        : <button type="button" onClick={() => act('Start', () => client.startWorkspace(ref))} disabled={busy !== null || transient}>Start</button>}
      <button type="button" onClick={() => act('Restart', () => client.restartWorkspace(ref))} disabled={busy !== null || !running}>Restart</button>
      {caps.open && <button type="button" className="primary" onClick={() => act('Open', () => openWorkspace(ref, w.url))} disabled={!running}>Open</button>}
      {caps.ssh && info.ssh && <button type="button" onClick={() => void copySsh()} disabled={!running}>Copy SSH command</button>}
      <button type="button" className="danger" onClick={() => { setDeleteData(false); setRemoving(true); }} disabled={busy !== null || w.state === 'removing'}>Remove</button>
      <span role="status" className="muted">{busy ? `${busy}…` : copied ?? ''}</span>
      {removing && (
        <ConfirmDialog
          title={`Remove ${w.name}?`} confirmLabel="Remove" danger busy={busy !== null}
          onCancel={() => setRemoving(false)}
          onConfirm={() => void act('Remove', async () => {
            await client.removeWorkspace({ ...ref, deleteData });
            setRemoving(false);
            onRemoved?.();
          })}
        >
          <p>The workspace {w.user}/{w.name} is stopped and removed{caps.volumes ? '' : ` from the ${caps.product}; ${caps.why.volumes ?? 'what happens to its files is up to the hub'}`}.</p>
          {caps.volumes && w.volume && <label className="check"><input type="checkbox" checked={deleteData} onChange={(e) => setDeleteData(e.target.checked)} /> Also delete its data (the volume {w.volume}); this cannot be undone</label>}
        </ConfirmDialog>
      )}
    </div>
  );
}

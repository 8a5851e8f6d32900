/**
 * The actions on one workspace, shared by the list and the detail page: one primary button for
 * what the workspace's state calls for (Open a running one — Stop where it cannot be opened —,
 * Start a stopped one) and a menu with the rest (Stop, Restart, Copy SSH command, Remove), as
 * Docker Desktop and Coder do: five buttons wrapped into two rows and offered actions that could
 * not work. Open and Copy SSH command are offered on running workspaces only, and only where the
 * hub's capabilities say it can (a connected JupyterHub has no SSH gateway and leaves a removed
 * server's data to its spawner). The names are a contract the end-to-end tests rely on.
 */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { copyText, openWorkspace } from '../lib/desktop';
import { useHub } from '../lib/hub-context';
import { sshAliasFor, sshCommandFor } from '../lib/ssh';
import { ActionMenu, type MenuItem } from './action-menu';
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
  const [copied, setCopied] = useState<string | null>(null);
  const ref = { user: w.user, name: w.name };
  const idle = busy === null && !BUSY_STATES.has(w.state);
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

  const start = { label: 'Start', onSelect: () => void act('Start', () => client.startWorkspace(ref)), disabled: !idle };
  const stop = { label: 'Stop', onSelect: () => void act('Stop', () => client.stopWorkspace(ref)), disabled: !idle };
  const open: MenuItem | null = caps.open && running ? { label: 'Open', onSelect: () => void act('Open', () => openWorkspace(ref, w.url)) } : null;
  const primary = open ?? (running ? stop : start);
  const menu: MenuItem[] = [
    ...(running && primary !== stop ? [stop] : []),
    ...(running ? [{ label: 'Restart', onSelect: () => void act('Restart', () => client.restartWorkspace(ref)), disabled: !idle }] : []),
    ...(running && caps.ssh && info.ssh ? [{ label: 'Copy SSH command', onSelect: () => void copySsh() }] : []),
    { label: 'Remove', danger: true, onSelect: () => setRemoving(true), disabled: busy !== null || w.state === 'removing' },
  ];

  return (
    <div className="actions">
      <button type="button" className={primary === open ? 'primary' : undefined} onClick={primary.onSelect} disabled={primary.disabled}>{primary.label}</button>
      <ActionMenu label={`More actions for ${w.name}`} items={menu} />
      <span role="status" className="muted">{busy ? `${busy}…` : copied ?? ''}</span>
      {removing && <RemoveDialog w={w} onClose={() => setRemoving(false)} onRemoved={onRemoved} />}
    </div>
  );
}

/** Asks before removing, in the future tense (nothing has happened yet), and shows a refusal in the dialog. */
function RemoveDialog({ w, onClose, onRemoved }: { w: WorkspaceView; onClose: () => void; onRemoved?: () => void }) {
  const { client, info } = useHub();
  const caps = info.capabilities;
  const [deleteData, setDeleteData] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.removeWorkspace({ user: w.user, name: w.name, deleteData });
      onClose();
      onRemoved?.();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog title={`Remove ${w.name}?`} confirmLabel="Remove" danger busy={busy} error={error} onCancel={onClose} onConfirm={() => void remove()}>
      <p>Removing stops the workspace {w.user}/{w.name} and deletes it{caps.volumes ? '' : ` from the ${caps.product}; ${caps.why.volumes ?? 'what happens to its files is up to the hub'}`}.{caps.volumes && w.volume && !deleteData ? ' Its data volume is kept unless you tick the box below.' : ''}</p>
      {caps.volumes && w.volume && <label className="check"><input type="checkbox" checked={deleteData} onChange={(e) => setDeleteData(e.target.checked)} /> Also delete its data (the volume {w.volume}); this cannot be undone</label>}
    </ConfirmDialog>
  );
}

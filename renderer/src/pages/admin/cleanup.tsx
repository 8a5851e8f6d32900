/** Admin: cleanup as a dry run first (what would go and why), then the real run. */
import { useState } from 'react';
import type { CleanupReport } from '../../../../main/api/dto';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useHub } from '../../lib/hub-context';
import { attempt } from '../../lib/use-load';

function Report({ r }: { r: CleanupReport }) {
  return (
    <div className="panel" data-testid={r.dryRun ? 'cleanup-dry-run' : 'cleanup-done'}>
      <h2>{r.dryRun ? `Would remove ${r.items.length}` : `Removed ${r.items.length}`}</h2>
      {r.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">User</th><th scope="col">Workspace</th><th scope="col">Reason</th></tr></thead>
            <tbody>{r.items.map((i) => <tr key={`${i.kind}/${i.name}`}><td>{i.kind}</td><td className="mono">{i.name}</td><td>{i.user}</td><td>{i.workspace ?? '—'}</td><td>{String(i.reason)}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      {r.errors.length > 0 && <ul className="alert">{r.errors.map((e) => <li key={e}>{e}</li>)}</ul>}
    </div>
  );
}

export function CleanupSection() {
  const { client } = useHub();
  const [dry, setDry] = useState<CleanupReport | null>(null);
  const [done, setDone] = useState<CleanupReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (dryRun: boolean) => {
    setBusy(true);
    await attempt(async () => {
      const r = await client.cleanup({ body: { dryRun } });
      if (dryRun) { setDry(r); setDone(null); } else { setDone(r); setDry(null); }
    }, setError);
    setBusy(false);
    setAsking(false);
  };
  return (
    <>
      <p>Cleanup removes expired workspaces, what deleted users left behind, and networks and volumes of this hub that nothing uses. See what would go first.</p>
      {error && <p role="alert" className="alert">{error}</p>}
      <div className="row">
        <button type="button" onClick={() => void run(true)} disabled={busy}>Dry run</button>
        <button type="button" className="danger" onClick={() => setAsking(true)} disabled={busy || !dry}>Run cleanup</button>
        <span role="status" className="muted">{busy ? 'Working…' : ''}</span>
      </div>
      {dry && <Report r={dry} />}
      {done && <Report r={done} />}
      {asking && dry && (
        <ConfirmDialog title="Run cleanup?" confirmLabel="Run cleanup" danger busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void run(false)}>
          <p>The dry run listed {dry.items.length} item(s). What exists when the cleanup runs is removed.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/**
 * Tunnels: named local port forwards (TensorBoard 6006 → localhost:16006) kept in this computer's
 * data directory — the same ones `hubdeck tunnel …` manages. They need a process on the user's
 * machine, so in the app they are listed, added, started, stopped and removed through the desktop
 * API; in a browser the page says so and gives the CLI commands.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { TunnelInfo } from '../../../preload/desktop-contract';
import { desktop } from '../lib/desktop';

const CLI = [
  'hubdeck tunnel add tensorboard --workspace <name> --local 16006 --remote 6006',
  'hubdeck tunnel start tensorboard',
  'hubdeck tunnel list',
  'hubdeck tunnel stop tensorboard',
  'hubdeck tunnel remove tensorboard',
];

export function TunnelsPage() {
  if (!desktop) {
    return (
      <main id="main">
        <h1>Tunnels</h1>
        <p>Tunnels forward a port on your own computer to a workspace port, so they run in the Hubdeck desktop app or the <code>hubdeck</code> CLI, not in a browser tab. With the CLI (add <code>--hub {window.location.origin}</code> and a token for this hub):</p>
        <pre className="logs" tabIndex={0} aria-label="Tunnel commands">{CLI.join('\n')}</pre>
      </main>
    );
  }
  return <DesktopTunnels />;
}

function DesktopTunnels() {
  const d = desktop!;
  const [list, setList] = useState<TunnelInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', workspace: '', local: '', remote: '' });

  const run = async (p: ReturnType<typeof d.tunnels>) => {
    const r = await p;
    if (r.ok) { setList(r.value); setError(null); } else setError(r.error.message);
  };
  useEffect(() => { void run(d.tunnels()); return d.onChange(() => void run(d.tunnels())); }, [d]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(d.addTunnel({ name: form.name.trim(), workspace: form.workspace.trim(), local: Number(form.local), remote: Number(form.remote) }))
      .then(() => setForm({ name: '', workspace: '', local: '', remote: '' }));
  };
  const field = (k: keyof typeof form, label: string, type = 'text') => (
    <label>{label} <input type={type} required value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} /></label>
  );

  return (
    <main id="main">
      <h1>Tunnels</h1>
      {error && <p role="alert" className="alert">{error}</p>}
      {!list ? <p className="muted">Loading…</p> : list.length === 0 ? <p className="muted">No tunnels yet.</p> : (
        <table>
          <thead><tr><th>Name</th><th>Forward</th><th>State</th><th>Actions</th></tr></thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td className="mono">localhost:{t.local} → {t.user}/{t.workspace}:{t.remote}{t.hub ? ` (${t.hub})` : ''}</td>
                <td>{t.running ? 'running' : 'stopped'}</td>
                <td>
                  <div className="row">
                    <button type="button" onClick={() => void run(d.setTunnelRunning(t.name, !t.running))}>{t.running ? 'Stop' : 'Start'} <span className="sr-only">{t.name}</span></button>
                    <button type="button" onClick={() => void run(d.removeTunnel(t.name))}>Remove <span className="sr-only">{t.name}</span></button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} className="panel" aria-label="Add a tunnel">
        <h2>Add a tunnel</h2>
        {field('name', 'Tunnel name')}
        {field('workspace', 'Workspace')}
        {field('local', 'Local port', 'number')}
        {field('remote', 'Workspace port', 'number')}
        <button type="submit">Add tunnel</button>
      </form>
    </main>
  );
}

/**
 * Hubs (desktop): this computer's hub and the remote hubs the app has joined — address, user,
 * pinned certificate fingerprint and whether it answers now — with switching the main window to
 * one, removing a joined one, and joining a new one by invite (link or the invite text).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { HubSummary } from '../../../preload/desktop-contract';
import { desktop } from '../lib/desktop';
import { DesktopOnly } from './desktop-only';

export function HubsPage() {
  if (!desktop) return <DesktopOnly title="Hubs" what="The desktop app keeps a list of hubs (this computer's and the teams' you joined) and switches between them." />;
  return <DesktopHubs />;
}

/** "connected", or why not, in the words a user acts on. */
export function hubState(h: HubSummary): string {
  if (!h.error) return 'connected';
  if (/401|unauthori[sz]ed|token/i.test(h.error)) return `token refused: ${h.error}`;
  return `unreachable: ${h.error}`;
}

/** A SHA-256 fingerprint on two lines of 16 bytes, so the table fits a window and halves are easy to compare. */
function Fingerprint({ fp }: { fp: string }) {
  const parts = fp.split(':');
  if (parts.length < 32) return <>{fp}</>;
  return <>{parts.slice(0, 16).join(':')}:<br />{parts.slice(16).join(':')}</>;
}

function DesktopHubs() {
  const d = desktop!;
  const [hubs, setHubs] = useState<HubSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [invite, setInvite] = useState('');
  const [busy, setBusy] = useState(false);
  const [remote, setRemote] = useState({ url: '', token: '', fingerprint: '' });

  const load = async () => {
    const r = await d.hubs();
    if (r.ok) setHubs(r.value); else setError(r.error.message);
  };
  useEffect(() => { void load(); return d.onChange(() => void load()); }, [d]);

  const act = async (p: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const r = await p;
    if (!r.ok) setError(r.error!.message); else setError(null);
    await load();
    return r.ok;
  };
  const join = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    void act(d.joinHub(invite.trim())).then((ok) => { if (ok) setInvite(''); }).finally(() => setBusy(false));
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const fp = remote.fingerprint.trim();
    void act(d.addHub({ url: remote.url.trim(), token: remote.token, fingerprint: fp === '' ? null : fp }))
      .then((ok) => { if (ok) setRemote({ url: '', token: '', fingerprint: '' }); }).finally(() => setBusy(false));
  };

  return (
    <main id="main">
      <h1>Hubs</h1>
      {error && <p role="alert" className="alert">{error}</p>}
      {!hubs ? <p className="muted">Loading…</p> : (
        <table>
          <thead><tr><th>Hub</th><th>Address</th><th>User</th><th>Fingerprint</th><th>State</th><th>Actions</th></tr></thead>
          <tbody>
            {hubs.map((h) => (
              <tr key={h.key}>
                <td>{h.label}{h.active ? ' (current)' : ''}</td>
                <td className="mono">{h.url ?? '—'}</td>
                <td>{h.user}{h.admin ? ' (admin)' : ''}</td>
                <td className="mono">{h.fingerprint ? <Fingerprint fp={h.fingerprint} /> : '—'}</td>
                <td>{hubState(h)}</td>
                <td className="row">
                  <button type="button" disabled={h.active} onClick={() => void act(d.selectHub(h.key))}>Switch to <span className="sr-only">{h.label}</span></button>
                  {h.key !== 'local' && <button type="button" onClick={() => void act(d.removeHub(h.key))}>Remove <span className="sr-only">{h.label}</span></button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={join} className="panel" aria-label="Join a hub">
        <h2>Join a hub</h2>
        <p className="muted">Paste the invite your team lead gave you: a <code>hubdeck://join?…</code> link or the invite itself. It carries the hub's address, its pinned certificate fingerprint and a one-time code that becomes your token.</p>
        <label>Invite <input required value={invite} onChange={(e) => setInvite(e.target.value)} /></label>
        <button type="submit" disabled={busy}>Join</button>
      </form>
      <form onSubmit={add} className="panel" aria-label="Add a hub by address">
        <h2>Add a hub by address</h2>
        <label>Hub URL <input type="url" required placeholder="https://hub.example:8443" value={remote.url} onChange={(e) => setRemote({ ...remote, url: e.target.value })} /></label>
        <label>Token <input type="password" required autoComplete="off" value={remote.token} onChange={(e) => setRemote({ ...remote, token: e.target.value })} /></label>
        <label>Certificate fingerprint <input className="mono" placeholder="AB:CD:… (self-signed hubs)" value={remote.fingerprint} onChange={(e) => setRemote({ ...remote, fingerprint: e.target.value })} /></label>
        <button type="submit" disabled={busy}>Add hub</button>
      </form>
    </main>
  );
}

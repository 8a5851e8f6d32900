/**
 * Hubs (desktop): this computer's hub, the remote hubs the app has joined and connected JupyterHubs
 * — kind, address, user, pinned certificate fingerprint and whether it answers now — with switching
 * the main window to one, removing one, joining a Hubdeck hub by invite (link or the invite text)
 * and adding a hub by address (a Hubdeck hub, or a JupyterHub with how its options are sent).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { HubSummary } from '../../../preload/desktop-contract';
import { desktop } from '../lib/desktop';
import { EMPTY_ADD_HUB, hubRequestOf, OPTIONS_FORMS, type AddHubForm, type OptionsForm } from '../lib/hub-request';
import { DesktopOnly } from './desktop-only';

/** A saved hub's connection type (data: which client the app builds for it), as the table names it. */
const KIND_LABEL: Record<HubSummary['kind'], string> = { hubdeck: 'Hubdeck', jupyterhub: 'JupyterHub' };

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
  const [remote, setRemote] = useState<AddHubForm>(EMPTY_ADD_HUB);

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
    const request = hubRequestOf(remote);
    if (!request.ok) return setError(request.error);
    setBusy(true);
    void act(d.addHub(request.value))
      .then((ok) => { if (ok) setRemote(EMPTY_ADD_HUB); }).finally(() => setBusy(false));
  };

  return (
    <main id="main">
      <h1>Hubs</h1>
      {error && <p role="alert" className="alert">{error}</p>}
      {!hubs ? <p className="muted">Loading…</p> : (
        <table>
          <thead><tr><th>Hub</th><th>Kind</th><th>Address</th><th>User</th><th>Fingerprint</th><th>State</th><th>Actions</th></tr></thead>
          <tbody>
            {hubs.map((h) => (
              <tr key={h.key}>
                <td>{h.label}{h.active ? ' (current)' : ''}</td>
                <td>{KIND_LABEL[h.kind]}</td>
                <td className="mono">{h.url ?? '—'}</td>
                <td>{h.user}{h.admin ? ' (admin)' : ''}</td>
                <td className="mono">{h.fingerprint ? <Fingerprint fp={h.fingerprint} /> : '—'}</td>
                <td>{hubState(h)}</td>
                <td>
                  <div className="row">
                    <button type="button" disabled={h.active} onClick={() => void act(d.selectHub(h.key))}>Switch to <span className="sr-only">{h.label}</span></button>
                    {h.key !== 'local' && <button type="button" onClick={() => void act(d.removeHub(h.key))}>Remove <span className="sr-only">{h.label}</span></button>}
                  </div>
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
      <AddByAddress remote={remote} setRemote={setRemote} busy={busy} onSubmit={add} />
    </main>
  );
}

function AddByAddress({ remote, setRemote, busy, onSubmit }: { remote: AddHubForm; setRemote: (f: AddHubForm) => void; busy: boolean; onSubmit: (e: FormEvent) => void }) {
  const set = (k: keyof AddHubForm) => (e: { target: { value: string } }) => setRemote({ ...remote, [k]: e.target.value });
  const jupyterhub = remote.kind === 'jupyterhub';
  return (
    <form onSubmit={onSubmit} className="panel stacked-form" aria-label="Add a hub by address">
      <h2>Add a hub by address</h2>
      <label>Kind <select value={remote.kind} onChange={set('kind')}>
        <option value="hubdeck">Hubdeck hub</option>
        <option value="jupyterhub">JupyterHub</option>
      </select></label>
      <label>Hub URL <input type="url" required placeholder={jupyterhub ? 'https://jupyter.example' : 'https://hub.example:8443'} value={remote.url} onChange={set('url')} /></label>
      <label>Token <input type="password" required autoComplete="off" value={remote.token} onChange={set('token')} /></label>
      <label>Name <input placeholder="optional: lower-case letters, digits, . _ -" value={remote.name} onChange={set('name')} /></label>
      {jupyterhub ? (
        <>
          <p className="muted">A JupyterHub 3 or later, with an API token from its Token page (scopes: your servers and tokens). Its servers appear as workspaces.</p>
          <label>Options form <select value={remote.optionsForm} onChange={(e) => setRemote({ ...remote, optionsForm: e.target.value as OptionsForm })}>
            {(Object.keys(OPTIONS_FORMS) as OptionsForm[]).map((f) => <option key={f} value={f}>{OPTIONS_FORMS[f]}</option>)}
          </select></label>
          <label>Default options <textarea className="mono" spellCheck={false} placeholder={'{"image": "jupyter/base-notebook"}'} value={remote.defaultOptions} onChange={set('defaultOptions')} /></label>
          <p className="muted">A JSON object of user_options sent with every new workspace on this hub (optional).</p>
        </>
      ) : (
        <label>Certificate fingerprint <input className="mono" placeholder="AB:CD:… (self-signed hubs)" value={remote.fingerprint} onChange={set('fingerprint')} /></label>
      )}
      <button type="submit" disabled={busy}>Add hub</button>
    </form>
  );
}

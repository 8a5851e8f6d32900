/**
 * Share this hub (desktop, team lead): serve this computer's hub on the LAN over TLS, show its
 * address and certificate fingerprint, and invite teammates — created with a quota or existing —
 * each with a hubdeck://join link and the one-line `hubdeck hub join` command to copy.
 * Stopping sharing closes the LAN listener; the local hub keeps running.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ShareStatus, TeammateInvite, TeammateRequest } from '../../../preload/desktop-contract';
import { copyText, desktop } from '../lib/desktop';
import { DesktopOnly } from './desktop-only';

export function SharePage() {
  if (!desktop) return <DesktopOnly title="Share this hub" what="Sharing serves the hub running on your computer to teammates on your network." />;
  return <DesktopShare />;
}

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

function CopyLine({ label, text }: { label: string; text: string }) {
  const [done, setDone] = useState('');
  return (
    <div className="row">
      <label>{label} <input readOnly className="mono" size={60} value={text} onFocus={(e) => e.target.select()} /></label>
      <button type="button" onClick={() => void copyText(text).then((ok) => setDone(ok ? 'Copied.' : 'Select the text to copy it.'))}>Copy <span className="sr-only">{label}</span></button>
      <span role="status" className="muted">{done}</span>
    </div>
  );
}

function DesktopShare() {
  const d = desktop!;
  const [status, setStatus] = useState<ShareStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ user: '', create: true, maxWorkspaces: '', cpus: '', memory: '', hours: '24' });
  const [invite, setInvite] = useState<TeammateInvite | null>(null);

  const load = async () => {
    const r = await d.shareStatus();
    if (r.ok) setStatus(r.value); else setError(r.error.message);
  };
  useEffect(() => { void load(); return d.onChange(() => void load()); }, [d]);

  const toggle = async () => {
    setBusy(true);
    const r = await (status?.sharing ? d.stopSharing() : d.startSharing()).finally(() => setBusy(false));
    if (r.ok) { setStatus(r.value); setError(null); } else setError(r.error.message);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const request: TeammateRequest = { user: form.user.trim(), hours: Number(form.hours) };
    if (form.create) {
      request.create = { quota: { maxWorkspaces: num(form.maxWorkspaces), cpus: num(form.cpus), memory: num(form.memory) === null ? null : Math.round(num(form.memory)! * 1024 ** 3) } };
    }
    setBusy(true);
    const r = await d.inviteTeammate(request).finally(() => setBusy(false));
    if (r.ok) { setInvite(r.value); setError(null); await load(); } else setError(r.error.message);
  };
  const field = (k: 'user' | 'maxWorkspaces' | 'cpus' | 'memory' | 'hours', label: string, type = 'text', required = false) => (
    <label>{label} <input type={type} min={type === 'number' ? 0 : undefined} step="any" required={required} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} /></label>
  );

  return (
    <main id="main">
      <h1>Share this hub</h1>
      {error && <p role="alert" className="alert">{error}</p>}
      {!status ? <p className="muted">Loading…</p> : (
        <section className="panel" aria-labelledby="sh-state">
          <h2 id="sh-state">{status.sharing ? 'Sharing on your network' : 'Not shared'}</h2>
          {status.sharing && (
            <dl>
              <dt>Address</dt><dd className="mono">{status.url}</dd>
              <dt>TLS fingerprint</dt><dd className="mono">{status.fingerprint}</dd>
              {status.sshAddress && <><dt>SSH</dt><dd className="mono">{status.sshAddress}</dd></>}
            </dl>
          )}
          <button type="button" disabled={busy} onClick={() => void toggle()}>{status.sharing ? 'Stop sharing' : 'Start sharing'}</button>
        </section>
      )}
      <form onSubmit={(e) => void submit(e)} className="panel" aria-label="Invite a teammate">
        <h2>Invite a teammate</h2>
        {field('user', 'User name', 'text', true)}
        <p><label><input type="checkbox" checked={form.create} onChange={(e) => setForm({ ...form, create: e.target.checked })} /> Create this user</label></p>
        {form.create && (
          <fieldset>
            <legend>Quota (empty: no limit)</legend>
            {field('maxWorkspaces', 'Max workspaces', 'number')}
            {field('cpus', 'CPUs', 'number')}
            {field('memory', 'Memory (GiB)', 'number')}
          </fieldset>
        )}
        {field('hours', 'Invite valid for (hours)', 'number', true)}
        <button type="submit" disabled={busy}>Create invite</button>
      </form>
      {invite && (
        <section className="panel" aria-labelledby="sh-invite">
          <h2 id="sh-invite">Invite for {invite.user}</h2>
          <p className="muted">One use; expires {new Date(invite.expiresAt).toLocaleString()}.</p>
          <CopyLine label="Invite link" text={invite.link} />
          <CopyLine label="Join command" text={invite.command} />
        </section>
      )}
    </main>
  );
}

/** Admin: hub settings — expiry policy, idle culling, cleanup interval, custom images, admin access. */
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../main/api/dto';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));
const str = (n: number | null) => (n === null ? '' : String(n));

export function SettingsSection() {
  const { client } = useHub();
  const loaded = useLoad(() => client.getSettings(), [client]);
  const [s, setS] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (loaded.data) setS(loaded.data); }, [loaded.data]);
  if (!s) return loaded.error ? <p role="alert" className="alert">{loaded.error}</p> : <p className="muted">Loading…</p>;
  const save = async () => {
    setSaved(false);
    const body = {
      allowCustomImages: s.allowCustomImages, expiryWarningHours: s.expiryWarningHours, expiryAction: s.expiryAction, maxDays: s.maxDays,
      defaultDays: s.defaultDays, idleCullMinutes: s.idleCullMinutes, cleanupIntervalMinutes: s.cleanupIntervalMinutes,
      autoCreateUsers: s.autoCreateUsers, adminAccess: s.adminAccess, bindMountAllowList: s.bindMountAllowList,
      sshAgentForwarding: s.sshAgentForwarding, sshEcdsaHostKey: s.sshEcdsaHostKey,
    };
    if (await attempt(async () => setS(await client.updateSettings({ body })), setError)) setSaved(true);
  };
  const numberField = (id: string, label: string, value: number | null, on: (n: number | null) => void, hint: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min="0" step="any" value={str(value)} onChange={(e) => on(num(e.target.value))} placeholder="none" aria-describedby={`${id}-hint`} />
      <span id={`${id}-hint`} className="hint">{hint}</span>
    </div>
  );
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label="Hub settings">
      {error && <p role="alert" className="alert">{error}</p>}
      <fieldset>
        <legend>Expiry</legend>
        <div className="grid2">
          {numberField('st-maxdays', 'Maximum days to live', s.maxDays, (v) => setS({ ...s, maxDays: v }), 'Empty: no maximum')}
          {numberField('st-defdays', 'Default days to live', s.defaultDays, (v) => setS({ ...s, defaultDays: v }), 'Empty: workspaces never expire unless asked')}
          {numberField('st-warn', 'Warn hours before expiry', s.expiryWarningHours, (v) => setS({ ...s, expiryWarningHours: v ?? 0 }), 'Users are notified this long before')}
          <div className="field">
            <label htmlFor="st-action">On expiry</label>
            <select id="st-action" value={s.expiryAction} onChange={(e) => setS({ ...s, expiryAction: e.target.value as Settings['expiryAction'] })}>
              <option value="stop">Stop the workspace (keep it)</option>
              <option value="remove">Remove the workspace (keep its data volume)</option>
            </select>
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Idle culling and cleanup</legend>
        <div className="grid2">
          {numberField('st-idle', 'Stop idle workspaces after minutes', s.idleCullMinutes, (v) => setS({ ...s, idleCullMinutes: v }), 'Idle: no web traffic, no SSH session, no busy kernel. Empty: never')}
          {numberField('st-cleanup', 'Cleanup every minutes', s.cleanupIntervalMinutes, (v) => setS({ ...s, cleanupIntervalMinutes: v }), 'Empty: only when an admin runs it')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Access</legend>
        <label className="check"><input type="checkbox" checked={s.allowCustomImages} onChange={(e) => setS({ ...s, allowCustomImages: e.target.checked })} /> Users may run images not in the list</label>
        <label className="check"><input type="checkbox" checked={s.adminAccess} onChange={(e) => setS({ ...s, adminAccess: e.target.checked })} /> Admins may open users’ workspaces (proxy, SSH)</label>
        <label className="check"><input type="checkbox" checked={s.autoCreateUsers} onChange={(e) => setS({ ...s, autoCreateUsers: e.target.checked })} /> Create users on first use</label>
        <label className="check"><input type="checkbox" checked={s.sshAgentForwarding} onChange={(e) => setS({ ...s, sshAgentForwarding: e.target.checked })} /> SSH agent forwarding (<code>ssh -A</code>): processes in the workspace may use the client’s keys while the session lasts</label>
        <label className="check"><input type="checkbox" checked={s.sshEcdsaHostKey} onChange={(e) => setS({ ...s, sshEcdsaHostKey: e.target.checked })} /> Offer the SSH gateway’s ECDSA host key too (for clients without ed25519 or RSA)</label>
        <div className="field">
          <label htmlFor="st-binds">Host paths workspaces may bind-mount</label>
          <textarea id="st-binds" value={s.bindMountAllowList.join('\n')} onChange={(e) => setS({ ...s, bindMountAllowList: e.target.value.split('\n').map((l) => l.trim()).filter(Boolean) })} placeholder="one absolute path per line; empty: none" />
        </div>
      </fieldset>
      <div className="row"><button type="submit" className="primary">Save settings</button><span role="status">{saved ? 'Saved.' : ''}</span></div>
    </form>
  );
}

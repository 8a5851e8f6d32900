/**
 * Admin: hub settings — expiry policy, idle culling, cleanup interval, custom images, admin access.
 * Every field is checked as it is typed by the hub's own settings schema (main/api/requests.ts), so
 * the page refuses what the hub and the CLI refuse (days past 3650, say), at the field.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Settings } from '../../../../main/api/dto';
import { fieldIssues, settingsInput } from '../../../../main/api/requests';
import { Field } from '../../components/field';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';

const NUMBERS = ['maxDays', 'defaultDays', 'expiryWarningHours', 'idleCullMinutes', 'cleanupIntervalMinutes'] as const;
type NumberKey = (typeof NUMBERS)[number];
type Texts = Record<NumberKey, string>;

/** "" → null (no limit), else the number as typed (a typo stays a typo, for the schema to name). */
const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));
const textsOf = (s: Settings): Texts => Object.fromEntries(NUMBERS.map((k) => [k, s[k] === null ? '' : String(s[k])])) as Texts;

/** The body Save sends: the editable settings, numbers from their text. Pure. */
export function settingsBody(s: Settings, t: Texts): Record<string, unknown> {
  const numbers = Object.fromEntries(NUMBERS.map((k) => [k, k === 'expiryWarningHours' ? num(t[k]) ?? 0 : num(t[k])]));
  return {
    allowCustomImages: s.allowCustomImages, expiryAction: s.expiryAction, autoCreateUsers: s.autoCreateUsers,
    adminAccess: s.adminAccess, bindMountAllowList: s.bindMountAllowList,
    sshAgentForwarding: s.sshAgentForwarding, sshEcdsaHostKey: s.sshEcdsaHostKey, ...numbers,
  };
}

export function SettingsSection() {
  const { client } = useHub();
  const loaded = useLoad(() => client.getSettings(), [client]);
  const [s, setS] = useState<Settings | null>(null);
  const [t, setT] = useState<Texts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (loaded.data) { setS(loaded.data); setT(textsOf(loaded.data)); } }, [loaded.data]);
  const issues = useMemo(() => (s && t ? fieldIssues(settingsInput, settingsBody(s, t)) : {}), [s, t]);
  if (!s || !t) return loaded.error ? <p role="alert" className="alert">{loaded.error}</p> : <p className="muted">Loading…</p>;
  const save = async () => {
    setSaved(false);
    if (Object.keys(issues).length) return;
    if (await attempt(async () => { const n = await client.updateSettings({ body: settingsBody(s, t) as never }); setS(n); setT(textsOf(n)); }, setError)) setSaved(true);
  };
  const numberField = (k: NumberKey, id: string, label: string, hint: string) => (
    <Field id={id} label={label} hint={hint} error={issues[k]}>
      {(aria) => <input {...aria} type="number" min="0" step="any" value={t[k]} onChange={(e) => { setSaved(false); setT({ ...t, [k]: e.target.value }); }} placeholder="none" />}
    </Field>
  );
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label="Hub settings" noValidate>
      {error && <p role="alert" className="alert">{error}</p>}
      <fieldset>
        <legend>Expiry</legend>
        <div className="grid2">
          {numberField('maxDays', 'st-maxdays', 'Maximum days to live', 'At most 3650. Empty: no maximum')}
          {numberField('defaultDays', 'st-defdays', 'Default days to live', 'Empty: workspaces never expire unless asked')}
          {numberField('expiryWarningHours', 'st-warn', 'Warn hours before expiry', 'Users are notified this long before')}
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
          {numberField('idleCullMinutes', 'st-idle', 'Stop idle workspaces after (minutes)', 'Idle: no web traffic, no SSH session, no busy kernel. Empty: never')}
          {numberField('cleanupIntervalMinutes', 'st-cleanup', 'Run cleanup every (minutes)', 'Empty: only when an admin runs it')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Access</legend>
        <label className="check"><input type="checkbox" checked={s.allowCustomImages} onChange={(e) => setS({ ...s, allowCustomImages: e.target.checked })} /> Users may run images not in the list</label>
        <label className="check"><input type="checkbox" checked={s.adminAccess} onChange={(e) => setS({ ...s, adminAccess: e.target.checked })} /> Admins may open users’ workspaces (proxy, SSH)</label>
        <label className="check"><input type="checkbox" checked={s.autoCreateUsers} onChange={(e) => setS({ ...s, autoCreateUsers: e.target.checked })} /> Create users on first use</label>
        <label className="check"><input type="checkbox" checked={s.sshAgentForwarding} onChange={(e) => setS({ ...s, sshAgentForwarding: e.target.checked })} /> SSH agent forwarding (<code>ssh -A</code>): processes in the workspace may use the client’s keys while the session lasts</label>
        <label className="check"><input type="checkbox" checked={s.sshEcdsaHostKey} onChange={(e) => setS({ ...s, sshEcdsaHostKey: e.target.checked })} /> Offer the SSH gateway’s ECDSA host key too (for clients without ed25519 or RSA)</label>
        <Field id="st-binds" label="Host paths workspaces may bind-mount" error={Object.entries(issues).find(([k]) => k.startsWith('bindMountAllowList'))?.[1]}>
          {(aria) => <textarea {...aria} value={s.bindMountAllowList.join('\n')} onChange={(e) => setS({ ...s, bindMountAllowList: e.target.value.split('\n').map((l) => l.trim()).filter(Boolean) })} placeholder="one absolute path per line; empty: none" />}
        </Field>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={Object.keys(issues).length > 0}>Save settings</button>
        <span role="status">{saved ? 'Saved.' : Object.keys(issues).length ? 'Fix the marked fields to save.' : ''}</span>
      </div>
    </form>
  );
}

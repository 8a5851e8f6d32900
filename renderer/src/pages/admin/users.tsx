/**
 * Admin: users (add, block, self-service, groups, quotas, delete) and each user's tokens and SSH
 * keys. Groups are picked from the hub's groups; fields are checked by the hub's user schemas.
 */
import { useState } from 'react';
import type { CreatedToken, GroupRecord, UserView } from '../../../../main/api/dto';
import { createUserInput, fieldIssues } from '../../../../main/api/requests';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Field } from '../../components/field';
import { copyText } from '../../lib/desktop';
import { formatDate } from '../../lib/format';
import { useHub, useHubEvents } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';
import { GroupPicker } from './group-picker';
import { formatQuota, emptyQuota, quotaBody, QuotaFields, quotaSet, quotaText, type QuotaText } from './quota-fields';

function AddUser({ groupList, onAdded }: { groupList: GroupRecord[] | null; onAdded: (name: string) => void }) {
  const { client } = useHub();
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState(false);
  const [selfService, setSelfService] = useState(true);
  const [groups, setGroups] = useState<string[]>([]);
  const [quota, setQuota] = useState<QuotaText>(emptyQuota);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const body = { name: name.trim(), admin, selfService, groups, quota: quotaSet(quota) };
  const issues = fieldIssues(createUserInput, body);
  const submit = async () => {
    setTried(true);
    if (Object.keys(issues).length) return;
    const ok = await attempt(() => client.createUser({ body: body as never }), setError);
    if (ok) {
      onAdded(name.trim());
      setName('');
      setQuota(emptyQuota);
      setGroups([]);
      setTried(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-labelledby="add-user-h" noValidate>
      <h2 id="add-user-h">Add a user</h2>
      {error && <p role="alert" className="alert">{error}</p>}
      <Field id="au-name" label="User name" error={name === '' && !tried ? null : issues.name}>
        {(aria) => <input {...aria} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />}
      </Field>
      <GroupPicker idPrefix="au-g" legend="Groups" groups={groupList} value={groups} onChange={setGroups} />
      <div className="row">
        <label className="check"><input type="checkbox" checked={selfService} onChange={(e) => setSelfService(e.target.checked)} /> Self-service (creates own workspaces)</label>
        <label className="check"><input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Admin</label>
      </div>
      <h3>Quota</h3>
      <QuotaFields idPrefix="au-q" value={quota} onChange={setQuota} errors={issues} />
      <button type="submit" className="primary">Add user</button>
    </form>
  );
}

function Tokens({ user }: { user: string }) {
  const { client } = useHub();
  const tokens = useLoad(() => client.listTokens({ user }), [client, user]);
  const [note, setNote] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  useHubEvents((e) => { if (e.type === 'token.changed' && e.user === user) tokens.reload(); });
  const create = async () => {
    await attempt(async () => {
      setCreated(await client.createToken({ user, body: { note: note || undefined, expiresInDays: days ? Number(days) : undefined } }));
      setNote('');
    }, setError);
  };
  return (
    <section aria-labelledby="tokens-h">
      <h3 id="tokens-h">API tokens of {user}</h3>
      {(error ?? tokens.error) && <p role="alert" className="alert">{error ?? tokens.error}</p>}
      {created && (
        <div className="notice" role="status">
          <p>New token for {user} — shown once, copy it now:</p>
          <p className="secret" data-testid="new-token">{created.token}</p>
          <button type="button" onClick={() => void copyText(created.token)}>Copy token</button> <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <thead><tr><th scope="col">Note</th><th scope="col">Scope</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id}>
                <td>{t.note || <span className="muted">{t.id}</span>}</td><td>{t.scope}</td><td>{formatDate(t.createdAt)}</td><td>{formatDate(t.expiresAt) === '—' ? 'never' : formatDate(t.expiresAt)}</td><td>{formatDate(t.lastUsedAt)}</td>
                <td><button type="button" className="danger" onClick={() => void attempt(() => client.revokeToken({ user, id: t.id }), setError).then(tokens.reload)}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <div className="field"><label htmlFor="tk-note">Token note</label><input id="tk-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} /></div>
        <div className="field"><label htmlFor="tk-days">Expires in days</label><input id="tk-days" type="number" min="1" value={days} onChange={(e) => setDays(e.target.value)} placeholder="never" /></div>
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}

function Keys({ user }: { user: string }) {
  const { client } = useHub();
  const keys = useLoad(() => client.listKeys({ user }), [client, user]);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="keys-h">
      <h3 id="keys-h">SSH keys of {user}</h3>
      {(error ?? keys.error) && <p role="alert" className="alert">{error ?? keys.error}</p>}
      <ul>
        {(keys.data ?? []).map((k) => (
          <li key={k.id} className="row"><span className="mono">{k.type} {k.fingerprint}</span> <span className="muted">{k.comment}</span>
            <button type="button" className="danger" onClick={() => void attempt(() => client.removeKey({ user, id: k.id }), setError).then(keys.reload)}>Remove key</button></li>
        ))}
        {keys.data?.length === 0 && <li className="muted">No keys yet.</li>}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); void attempt(() => client.addKey({ user, body: { key } }), setError).then((ok) => { if (ok) { setKey(''); keys.reload(); } }); }}>
        <div className="field"><label htmlFor="key-text">Public key</label><textarea id="key-text" value={key} onChange={(e) => setKey(e.target.value)} placeholder="ssh-ed25519 AAAA… you@laptop" spellCheck={false} required /></div>
        <button type="submit">Add key</button>
      </form>
    </section>
  );
}

function ManageUser({ u, groupList, onChanged }: { u: UserView; groupList: GroupRecord[] | null; onChanged: () => void }) {
  const { client } = useHub();
  const [quota, setQuota] = useState<QuotaText>(quotaText(u.quota));
  const [groups, setGroups] = useState<string[]>(u.groups);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const issues = fieldIssues(createUserInput, { name: u.name, quota: quotaBody(quota), groups });
  const save = () => void attempt(() => client.updateUser({ user: u.name, body: { quota: quotaBody(quota), groups } as never }), setError).then((ok) => ok && onChanged());
  return (
    <section className="panel" aria-labelledby="manage-h">
      <div className="spread"><h2 id="manage-h">{u.name}</h2><button type="button" className="danger" onClick={() => setDeleting(true)}>Delete user</button></div>
      {error && <p role="alert" className="alert">{error}</p>}
      <p className="muted">Effective quota (own, else the most generous group, else the hub default): {formatQuota(u.effectiveQuota)}</p>
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <QuotaFields idPrefix={`mu-${u.name}`} value={quota} onChange={setQuota} errors={issues} />
        <GroupPicker idPrefix={`mu-${u.name}-g`} legend={`Groups of ${u.name}`} groups={groupList} value={groups} onChange={setGroups} />
        <button type="submit" className="primary" disabled={Object.keys(issues).length > 0}>Save</button>
      </form>
      <Tokens user={u.name} />
      <Keys user={u.name} />
      {deleting && (
        <ConfirmDialog title={`Delete ${u.name}?`} confirmLabel="Delete user" danger error={deleteError} onCancel={() => { setDeleting(false); setDeleteError(null); }}
          onConfirm={() => void attempt(() => client.deleteUser({ user: u.name }), setDeleteError).then((ok) => { if (ok) { setDeleting(false); onChanged(); } })}>
          <p>Deleting {u.name} revokes their tokens and keys at once; the next cleanup will remove their workspaces and data.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

export function UsersSection() {
  const { client, info } = useHub();
  const users = useLoad(() => client.listUsers(), [client]);
  const groups = useLoad(() => client.listGroups(), [client]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useHubEvents((e) => { if (e.type === 'user.changed') users.reload(); });
  const patch = (u: UserView, body: Record<string, unknown>) => void attempt(() => client.updateUser({ user: u.name, body: body as never }), setError).then(users.reload);
  const current = users.data?.find((u) => u.name === selected) ?? null;
  return (
    <>
      {(error ?? users.error) && <p role="alert" className="alert">{error ?? users.error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Users</caption>
          <thead><tr><th scope="col">User</th><th scope="col">Admin</th><th scope="col">Blocked</th><th scope="col">Self-service</th><th scope="col">Groups</th><th scope="col">Quota</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.name} data-user={u.name}>
                <th scope="row" className="name">{u.name}</th>
                <td><input type="checkbox" aria-label={`${u.name} is an admin`} checked={u.admin} disabled={u.name === info.user.name} onChange={(e) => patch(u, { admin: e.target.checked })} /></td>
                <td><input type="checkbox" aria-label={`${u.name} is blocked`} checked={u.blocked} disabled={u.name === info.user.name} onChange={(e) => patch(u, { blocked: e.target.checked })} /></td>
                <td><input type="checkbox" aria-label={`${u.name} may create workspaces`} checked={u.selfService} onChange={(e) => patch(u, { selfService: e.target.checked })} /></td>
                <td>{u.groups.join(', ') || <span className="muted">—</span>}</td>
                <td>{formatQuota(u.effectiveQuota)}</td>
                <td><button type="button" onClick={() => setSelected(u.name)} aria-pressed={selected === u.name}>Manage {u.name}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {current && <ManageUser key={current.name} u={current} groupList={groups.data} onChanged={users.reload} />}
      <AddUser groupList={groups.data} onAdded={(n) => { users.reload(); setSelected(n); }} />
    </>
  );
}

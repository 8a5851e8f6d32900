/**
 * Admin: groups and their quotas (a user gets the most generous quota of their groups): add, edit a
 * group's quota (Edit opens its form under the table), delete. Fields are checked as they are typed
 * by the hub's own group schemas.
 */
import { useState } from 'react';
import type { GroupRecord } from '../../../../main/api/dto';
import { fieldIssues, groupInput, updateGroupInput } from '../../../../main/api/requests';
import { Field } from '../../components/field';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';
import { emptyQuota, formatQuota, quotaBody, QuotaFields, quotaSet, quotaText, type QuotaText } from './quota-fields';

function EditGroup({ g, onSaved, onClose }: { g: GroupRecord; onSaved: () => void; onClose: () => void }) {
  const { client } = useHub();
  const [quota, setQuota] = useState<QuotaText>(quotaText(g.quota));
  const [error, setError] = useState<string | null>(null);
  const body = { quota: quotaBody(quota) };
  const issues = fieldIssues(updateGroupInput, body);
  const save = async () => {
    if (Object.keys(issues).length === 0 && await attempt(() => client.updateGroup({ group: g.name, body: body as never }), setError)) { onSaved(); onClose(); }
  };
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void save(); }} aria-labelledby="edit-group-h">
      <h2 id="edit-group-h">Edit group {g.name}</h2>
      {error && <p role="alert" className="alert">{error}</p>}
      <QuotaFields idPrefix={`eg-${g.name}`} value={quota} onChange={setQuota} errors={issues} />
      <div className="row">
        <button type="submit" className="primary">Save group {g.name}</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

function AddGroup({ onAdded }: { onAdded: () => void }) {
  const { client } = useHub();
  const [name, setName] = useState('');
  const [quota, setQuota] = useState<QuotaText>(emptyQuota);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const body = { name: name.trim(), quota: quotaSet(quota) };
  const issues = fieldIssues(groupInput, body);
  const shown = name === '' && !tried ? { ...issues, name: undefined } : issues;
  const add = async () => {
    setTried(true);
    if (Object.keys(issues).length) return;
    if (await attempt(() => client.createGroup({ body: body as never }), setError)) {
      setName('');
      setQuota(emptyQuota);
      setTried(false);
      onAdded();
    }
  };
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void add(); }} aria-labelledby="add-group-h" noValidate>
      <h2 id="add-group-h">Add a group</h2>
      {error && <p role="alert" className="alert">{error}</p>}
      <Field id="ag-name" label="Group name" hint="Lowercase letters, digits and dashes" error={shown.name}>
        {(aria) => <input {...aria} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />}
      </Field>
      <QuotaFields idPrefix="ag-q" value={quota} onChange={setQuota} errors={shown as Record<string, string>} />
      <button type="submit" className="primary">Add group</button>
    </form>
  );
}

export function GroupsSection() {
  const { client } = useHub();
  const groups = useLoad(() => client.listGroups(), [client]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = groups.data?.find((g) => g.name === editing) ?? null;
  return (
    <>
      {(error ?? groups.error) && <p role="alert" className="alert">{error ?? groups.error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Groups</caption>
          <thead><tr><th scope="col">Group</th><th scope="col">Quota</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {(groups.data ?? []).map((g) => (
              <tr key={g.name}><th scope="row" className="name">{g.name}</th><td>{formatQuota(g.quota)}</td>
                <td><div className="actions">
                  <button type="button" onClick={() => setEditing(g.name)} aria-pressed={editing === g.name}>Edit group {g.name}</button>
                  <button type="button" className="danger" onClick={() => void attempt(() => client.deleteGroup({ group: g.name }), setError).then(groups.reload)}>Delete group {g.name}</button>
                </div></td></tr>
            ))}
            {groups.data?.length === 0 && <tr><td colSpan={3} className="muted">No groups yet.</td></tr>}
          </tbody>
        </table>
      </div>
      {current && <EditGroup key={current.name} g={current} onSaved={groups.reload} onClose={() => setEditing(null)} />}
      <AddGroup onAdded={groups.reload} />
    </>
  );
}

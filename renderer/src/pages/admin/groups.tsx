/** Admin: groups and their quotas (a user gets the most generous quota of their groups). */
import { useState } from 'react';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';
import { emptyQuota, formatQuota, quotaBody, QuotaFields, type QuotaText } from './quota-fields';

export function GroupsSection() {
  const { client } = useHub();
  const groups = useLoad(() => client.listGroups(), [client]);
  const [name, setName] = useState('');
  const [quota, setQuota] = useState<QuotaText>(emptyQuota);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    const q = Object.fromEntries(Object.entries(quotaBody(quota)).filter(([, v]) => v !== null));
    if (await attempt(() => client.createGroup({ body: { name: name.trim(), quota: q } as never }), setError)) {
      setName('');
      setQuota(emptyQuota);
      groups.reload();
    }
  };
  return (
    <>
      {(error ?? groups.error) && <p role="alert" className="alert">{error ?? groups.error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Groups</caption>
          <thead><tr><th scope="col">Group</th><th scope="col">Quota</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {(groups.data ?? []).map((g) => (
              <tr key={g.name}><th scope="row">{g.name}</th><td>{formatQuota(g.quota)}</td>
                <td><button type="button" className="danger" onClick={() => void attempt(() => client.deleteGroup({ group: g.name }), setError).then(groups.reload)}>Delete group {g.name}</button></td></tr>
            ))}
            {groups.data?.length === 0 && <tr><td colSpan={3} className="muted">No groups yet.</td></tr>}
          </tbody>
        </table>
      </div>
      <form className="panel" onSubmit={(e) => { e.preventDefault(); void add(); }} aria-labelledby="add-group-h">
        <h2 id="add-group-h">Add a group</h2>
        <div className="field"><label htmlFor="ag-name">Group name</label><input id="ag-name" value={name} onChange={(e) => setName(e.target.value)} required /></div>
        <QuotaFields idPrefix="ag-q" value={quota} onChange={setQuota} />
        <button type="submit" className="primary">Add group</button>
      </form>
    </>
  );
}

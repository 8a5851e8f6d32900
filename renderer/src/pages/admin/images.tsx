/**
 * Admin: the images users pick from, with access lists (users and groups; both empty = everyone),
 * defaults, whether each runs on this engine (asked without pulling), and the one the New-workspace
 * form preselects (settings.defaultImage; without a choice, the hub preselects one that runs).
 */
import { useState } from 'react';
import type { ImageRecord } from '../../../../main/api/dto';
import { availabilityText, imageTitle } from '../../../../main/api/image-availability-text';
import { formatBytes } from '../../lib/format';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';

const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function describeDefaults(d: ImageRecord['defaults']): string {
  const p: string[] = [];
  if (d.cpus !== undefined) p.push(`${d.cpus} CPUs`);
  if (d.memory !== undefined) p.push(formatBytes(d.memory));
  if (d.shm !== undefined) p.push(`shm ${formatBytes(d.shm)}`);
  if (d.gpus !== undefined) p.push(`GPUs ${d.gpus}`);
  if (d.days !== undefined) p.push(`${d.days} days`);
  return p.join(' · ') || '—';
}

function AccessEditor({ img, onSaved }: { img: ImageRecord; onSaved: () => void }) {
  const { client } = useHub();
  const [users, setUsers] = useState(img.access.users.join(', '));
  const [groups, setGroups] = useState(img.access.groups.join(', '));
  const [error, setError] = useState<string | null>(null);
  return (
    <form className="row" onSubmit={(e) => { e.preventDefault(); void attempt(() => client.updateImage({ image: img.name, body: { access: { users: splitList(users), groups: splitList(groups) } } }), setError).then((ok) => ok && onSaved()); }}>
      {error && <span role="alert" className="alert">{error}</span>}
      <label className="sr-only" htmlFor={`acc-u-${img.name}`}>Users allowed to use {img.name}</label>
      <input id={`acc-u-${img.name}`} value={users} onChange={(e) => setUsers(e.target.value)} placeholder="users (everyone)" />
      <label className="sr-only" htmlFor={`acc-g-${img.name}`}>Groups allowed to use {img.name}</label>
      <input id={`acc-g-${img.name}`} value={groups} onChange={(e) => setGroups(e.target.value)} placeholder="groups" />
      <button type="submit">Save access for {img.name}</button>
    </form>
  );
}

/** The Default column: which image the form preselects, and the admin's way to choose it. */
function DefaultCell({ img, onError, onSaved }: { img: ImageRecord; onError: (e: string | null) => void; onSaved: () => void }) {
  const { client } = useHub();
  if (img.isDefault) return <span data-testid={`default-${img.name}`}>Preselected</span>;
  const choose = () => void attempt(() => client.updateSettings({ body: { defaultImage: img.name } }), onError).then((ok) => ok && onSaved());
  return <button type="button" onClick={choose} aria-label={`Make ${img.name} the default`}>Make default</button>;
}

export function ImagesSection() {
  const { client } = useHub();
  const images = useLoad(() => client.listImages(), [client]);
  const [error, setError] = useState<string | null>(null);
  const [f, setF] = useState({ name: '', ref: '', displayName: '', users: '', groups: '', cpus: '', memory: '', days: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const add = async () => {
    const defaults: Record<string, string | number> = {};
    if (f.cpus) defaults.cpus = f.cpus;
    if (f.memory) defaults.memory = f.memory;
    if (f.days) defaults.days = Number(f.days);
    const body = { name: f.name.trim(), ref: f.ref.trim(), displayName: f.displayName || undefined, access: { users: splitList(f.users), groups: splitList(f.groups) }, defaults };
    if (await attempt(() => client.createImage({ body: body as never }), setError)) {
      setF({ name: '', ref: '', displayName: '', users: '', groups: '', cpus: '', memory: '', days: '' });
      images.reload();
    }
  };
  return (
    <>
      {(error ?? images.error) && <p role="alert" className="alert">{error ?? images.error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Images</caption>
          <thead><tr><th scope="col">Image</th><th scope="col">Reference</th><th scope="col">Defaults</th><th scope="col">Runs here</th><th scope="col">Default</th><th scope="col">Access</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {(images.data ?? []).map((i) => (
              <tr key={i.name}>
                <th scope="row">{imageTitle(i)}</th><td className="mono">{i.ref}</td><td>{describeDefaults(i.defaults)}</td>
                <td title={i.availability?.detail ?? undefined}>{availabilityText(i.availability)}</td>
                <td><DefaultCell img={i} onError={setError} onSaved={images.reload} /></td>
                <td><AccessEditor key={JSON.stringify(i.access)} img={i} onSaved={images.reload} /></td>
                <td><button type="button" className="danger" onClick={() => void attempt(() => client.deleteImage({ image: i.name }), setError).then(images.reload)}>Remove image {i.name}</button></td>
              </tr>
            ))}
            {images.data?.length === 0 && <tr><td colSpan={7} className="muted">No images yet: users can only name custom images, if settings allow them.</td></tr>}
          </tbody>
        </table>
      </div>
      <form className="panel" onSubmit={(e) => { e.preventDefault(); void add(); }} aria-labelledby="add-image-h">
        <h2 id="add-image-h">Add an image</h2>
        <div className="grid2">
          <div className="field"><label htmlFor="ai-name">Image name</label><input id="ai-name" value={f.name} onChange={set('name')} required placeholder="jupyter" /></div>
          <div className="field"><label htmlFor="ai-ref">Image reference</label><input id="ai-ref" value={f.ref} onChange={set('ref')} required placeholder="registry/repo:tag" /></div>
          <div className="field"><label htmlFor="ai-display">Display name</label><input id="ai-display" value={f.displayName} onChange={set('displayName')} /></div>
          <div className="field"><label htmlFor="ai-users">Allowed users</label><input id="ai-users" value={f.users} onChange={set('users')} placeholder="everyone" /></div>
          <div className="field"><label htmlFor="ai-groups">Allowed groups</label><input id="ai-groups" value={f.groups} onChange={set('groups')} placeholder="comma-separated" /></div>
          <div className="field"><label htmlFor="ai-cpus">Default CPUs</label><input id="ai-cpus" value={f.cpus} onChange={set('cpus')} /></div>
          <div className="field"><label htmlFor="ai-memory">Default memory</label><input id="ai-memory" value={f.memory} onChange={set('memory')} placeholder="e.g. 2g" /></div>
          <div className="field"><label htmlFor="ai-days">Default days to live</label><input id="ai-days" type="number" min="0.01" step="any" value={f.days} onChange={set('days')} /></div>
        </div>
        <button type="submit" className="primary">Add image</button>
      </form>
    </>
  );
}

/**
 * Admin: the images users pick from, with access lists (users and groups; both empty = everyone),
 * defaults, whether each runs on this engine (asked without pulling), and the one the New-workspace
 * form preselects (settings.defaultImage; without a choice, the hub preselects one that runs). The
 * Add form is checked field by field by the hub's image schema; its groups are picked from the hub's.
 */
import { useState } from 'react';
import type { ImageRecord } from '../../../../main/api/dto';
import { availabilityText, imageTitle } from '../../../../main/api/image-availability-text';
import { fieldIssues, imageInput } from '../../../../main/api/requests';
import { Field } from '../../components/field';
import { GroupPicker } from './group-picker';
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

const EMPTY_IMAGE = { name: '', ref: '', displayName: '', users: '', groups: [] as string[], cpus: '', memory: '', days: '' };
type ImageForm = typeof EMPTY_IMAGE;

/** The createImage body of the Add form: defaults only where given. Pure. */
export function imageBody(f: ImageForm): Record<string, unknown> {
  const defaults: Record<string, string | number> = {};
  if (f.cpus.trim()) defaults.cpus = f.cpus.trim();
  if (f.memory.trim()) defaults.memory = f.memory.trim();
  if (f.days.trim()) defaults.days = Number(f.days);
  return { name: f.name.trim(), ref: f.ref.trim(), displayName: f.displayName || undefined, access: { users: splitList(f.users), groups: f.groups }, defaults };
}

function AddImage({ onAdded }: { onAdded: () => void }) {
  const { client } = useHub();
  const groups = useLoad(() => client.listGroups(), [client]);
  const [f, setF] = useState(EMPTY_IMAGE);
  const [typed, setTyped] = useState<Set<string> | 'all'>(new Set());
  const [error, setError] = useState<string | null>(null);
  const body = imageBody(f);
  const issues = fieldIssues(imageInput, body);
  const errorOf = (path: string) => (typed === 'all' || typed.has(path.split('.').pop()!) ? issues[path] : undefined);
  const set = (k: keyof ImageForm) => (e: { target: { value: string } }) => { setTyped((t) => (t === 'all' ? t : new Set(t).add(k))); setF({ ...f, [k]: e.target.value }); };
  const add = async () => {
    setTyped('all');
    if (Object.keys(issues).length === 0 && await attempt(() => client.createImage({ body: body as never }), setError)) {
      setF(EMPTY_IMAGE);
      setTyped(new Set());
      onAdded();
    }
  };
  const text = (k: keyof ImageForm, path: string, id: string, label: string, placeholder?: string) => (
    <Field id={id} label={label} error={errorOf(path)}>{(aria) => <input {...aria} value={f[k] as string} onChange={set(k)} placeholder={placeholder} />}</Field>
  );
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void add(); }} aria-labelledby="add-image-h" noValidate>
      <h2 id="add-image-h">Add an image</h2>
      {error && <p role="alert" className="alert">{error}</p>}
      <div className="grid2">
        {text('name', 'name', 'ai-name', 'Image name', 'jupyter')}
        {text('ref', 'ref', 'ai-ref', 'Image reference', 'registry/repo:tag')}
        {text('displayName', 'displayName', 'ai-display', 'Display name')}
        {text('users', 'access.users', 'ai-users', 'Allowed users', 'everyone')}
        {text('cpus', 'defaults.cpus', 'ai-cpus', 'Default CPUs')}
        {text('memory', 'defaults.memory', 'ai-memory', 'Default memory', 'e.g. 2g')}
        {text('days', 'defaults.days', 'ai-days', 'Default days to live')}
      </div>
      <GroupPicker idPrefix="ai-g" legend="Allowed groups" groups={groups.data} value={f.groups} onChange={(g) => setF({ ...f, groups: g })} />
      <button type="submit" className="primary">Add image</button>
    </form>
  );
}

export function ImagesSection() {
  const { client } = useHub();
  const images = useLoad(() => client.listImages(), [client]);
  const [error, setError] = useState<string | null>(null);
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
      <AddImage onAdded={images.reload} />
    </>
  );
}

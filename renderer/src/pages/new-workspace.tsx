/**
 * New workspace: the images this user may use (the hub filters by access list), limits with the
 * image's and hub's defaults as hints and the remaining quota beside them, days to live, env.
 * Submitting shows the create's progress (pull per layer, create, start, ready) from hub events
 * tagged with this request's id, and ends on Running or on the hub's error message, word for word.
 * A connected JupyterHub gets its own form (pages/new-workspace-jupyterhub.tsx): none of the lists
 * above exist there.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ImageRecord, Settings, UserView } from '../../../main/api/dto';
import { CreateForm } from '../components/create-form';
import { CUSTOM_IMAGE, ImagePicker, preselectedImage } from '../components/image-picker';
import { formatBytes } from '../lib/format';
import { useHub } from '../lib/hub-context';
import { useCreateWorkspace } from '../lib/use-create-workspace';
import { quotaLines } from '../lib/quota';
import type { WorkspaceView } from '../../../main/api/dto';
import { UserOptionsNewWorkspace } from './new-workspace-jupyterhub';

const CUSTOM = CUSTOM_IMAGE;

interface Form {
  name: string;
  image: string;
  customImage: string;
  cpus: string;
  memory: string;
  shm: string;
  gpus: string;
  days: string;
  env: string;
  volume: boolean;
}

const EMPTY: Form = { name: '', image: '', customImage: '', cpus: '', memory: '', shm: '', gpus: '', days: '', env: '', volume: true };

/** The request body from the form: empty fields are left to the hub's defaults. */
export function bodyOf(f: Form): Record<string, unknown> {
  const body: Record<string, unknown> = { name: f.name.trim() };
  const image = f.image === CUSTOM ? f.customImage.trim() : f.image;
  if (image) body.image = image;
  for (const k of ['cpus', 'memory', 'shm', 'gpus'] as const) if (f[k].trim()) body[k] = f[k].trim();
  if (f.days.trim()) body.days = Number(f.days);
  const env = f.env.split('\n').map((l) => l.trim()).filter(Boolean);
  if (env.length) body.env = env;
  if (!f.volume) body.volume = false;
  return body;
}

function hint(what: string, v: string | number | undefined | null): string | null {
  return v === undefined || v === null ? null : `${what}: ${v}`;
}

export function NewWorkspacePage() {
  const { info } = useHub();
  const create = info.capabilities.create;
  if (create?.form === 'spec') return <HubdeckNewWorkspace />;
  if (create?.form === 'user-options') return <UserOptionsNewWorkspace form={create} about={`${info.capabilities.product} (${info.version})`} />;
  return <main id="main"><h1>New workspace</h1><p className="notice">Workspaces are not created from here on this hub.</p></main>;
}

function HubdeckNewWorkspace() {
  const { client, info } = useHub();
  const [images, setImages] = useState<ImageRecord[] | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [me, setMe] = useState<UserView | null>(null);
  const [mine, setMine] = useState<WorkspaceView[]>([]);
  const [form, setForm] = useState<Form>(EMPTY);
  const creating = useCreateWorkspace();
  const { busy, error, setError, create } = creating;
  const admin = info.user.admin;

  useEffect(() => {
    client.listImages().then((list) => {
      setImages(list);
      setForm((f) => (f.image ? f : { ...f, image: preselectedImage(list) }));
    }, (e: Error) => setError({ message: e.message }));
    client.getUser({ user: info.user.name }).then(setMe, () => undefined);
    client.listWorkspaces({ user: info.user.name }).then(setMine, () => undefined);
    // Hub-wide defaults (days to live, its maximum) are for admins to read; users see the image's.
    if (admin) client.getSettings().then(setSettings, () => undefined);
  }, [client, info.user.name, admin]);

  const chosen = useMemo(() => images?.find((i) => i.ref === form.image) ?? null, [images, form.image]);
  const d = chosen?.defaults ?? {};
  const quota = me ? quotaLines(me, mine) : [];
  const set = (k: keyof Form) => (e: { target: { value: string; checked?: boolean; type?: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.type === 'checkbox' ? Boolean(e.target.checked) : e.target.value }));
  const invalid = (field: string) => (error?.field === field || error?.field?.startsWith(`${field}.`) ? true : undefined);

  const submit = () => create(bodyOf(form) as never);

  const maxDays = settings?.maxDays ?? undefined;
  return (
    <main id="main">
      <h1>New workspace</h1>
      {quota.length > 0 && (
        <p className="notice" data-testid="quota">Your quota: {quota.map((q) => q.text).join(' · ')}</p>
      )}
      <CreateForm state={creating} onSubmit={() => void submit()}>
        <fieldset disabled={busy}>
          <legend>Workspace</legend>
          <div className="grid2">
            <div className="field">
              <label htmlFor="nw-name">Name</label>
              <input id="nw-name" value={form.name} onChange={set('name')} required maxLength={40}
                aria-invalid={invalid('name')} aria-describedby="nw-name-hint" autoComplete="off" />
              <span id="nw-name-hint" className="hint">Lowercase letters, digits and dashes, up to 40.</span>
            </div>
            <ImagePicker images={images} value={form.image} custom={form.customImage} invalid={invalid('image')}
              onChange={(image) => setForm((f) => ({ ...f, image }))} onCustomChange={(customImage) => setForm((f) => ({ ...f, customImage }))} />
          </div>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Limits</legend>
          <div className="grid2">
            <div className="field">
              <label htmlFor="nw-cpus">CPUs</label>
              <input id="nw-cpus" inputMode="decimal" value={form.cpus} onChange={set('cpus')} placeholder={d.cpus !== undefined ? String(d.cpus) : 'no limit'} aria-invalid={invalid('cpus')} aria-describedby="nw-cpus-hint" />
              <span id="nw-cpus-hint" className="hint">{hint('Image default', d.cpus) ?? 'e.g. 0.5 or 2; empty: the default'}</span>
            </div>
            <div className="field">
              <label htmlFor="nw-memory">Memory</label>
              <input id="nw-memory" value={form.memory} onChange={set('memory')} placeholder={d.memory !== undefined ? formatBytes(d.memory) : 'no limit'} aria-invalid={invalid('memory')} aria-describedby="nw-memory-hint" />
              <span id="nw-memory-hint" className="hint">{hint('Image default', d.memory === undefined ? undefined : formatBytes(d.memory)) ?? 'e.g. 512m or 4g'}</span>
            </div>
            <div className="field">
              <label htmlFor="nw-shm">Shared memory</label>
              <input id="nw-shm" value={form.shm} onChange={set('shm')} placeholder={d.shm !== undefined ? formatBytes(d.shm) : 'engine default'} aria-invalid={invalid('shm')} aria-describedby="nw-shm-hint" />
              <span id="nw-shm-hint" className="hint">/dev/shm size, e.g. 1g (PyTorch data loaders need it)</span>
            </div>
            <div className="field">
              <label htmlFor="nw-gpus">GPUs</label>
              <input id="nw-gpus" value={form.gpus} onChange={set('gpus')} placeholder={d.gpus ?? 'none'} aria-invalid={invalid('gpus')} aria-describedby="nw-gpus-hint" />
              <span id="nw-gpus-hint" className="hint">all, a count, or device ids like 0,2</span>
            </div>
            <div className="field">
              <label htmlFor="nw-days">Days to live</label>
              <input id="nw-days" type="number" min="0.01" step="any" max={maxDays} value={form.days} onChange={set('days')}
                placeholder={String(d.days ?? settings?.defaultDays ?? 'never expires')} aria-invalid={invalid('days')} aria-describedby="nw-days-hint" />
              <span id="nw-days-hint" className="hint">
                {[hint('Image default', d.days), hint('hub default', settings?.defaultDays), hint('at most', maxDays)].filter(Boolean).join('; ') || 'Empty: the hub’s default'}
              </span>
            </div>
          </div>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Environment and data</legend>
          <div className="field">
            <label htmlFor="nw-env">Environment variables</label>
            <textarea id="nw-env" value={form.env} onChange={set('env')} placeholder={'KEY=value\nOTHER=value'} aria-invalid={invalid('env')} spellCheck={false} />
          </div>
          <label className="check"><input type="checkbox" checked={form.volume} onChange={set('volume')} /> Keep my files in a persistent volume</label>
        </fieldset>
      </CreateForm>
    </main>
  );
}

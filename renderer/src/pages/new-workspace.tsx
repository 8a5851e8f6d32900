/**
 * New workspace: the images this user may use (the hub filters by access list), limits with the
 * image's and hub's defaults as hints and the remaining quota beside them, days to live, env.
 * Submitting shows the create's progress (pull per layer, create, start, ready) from hub events
 * tagged with this request's id, and ends on Running or on the hub's error message, word for word.
 * Each field is checked as it is typed, by the hub's own rules (lib/create-check.ts), and marked
 * with its own error; a user with no workspace left of their quota is told before filling anything.
 * A connected JupyterHub gets its own form (pages/new-workspace-jupyterhub.tsx): none of the lists
 * above exist there.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ImageRecord, Settings, UserView } from '../../../main/api/dto';
import { CreateForm } from '../components/create-form';
import { CUSTOM_IMAGE, ImagePicker, preselectedImage } from '../components/image-picker';
import { Field } from '../components/field';
import { createErrors, workspaceCountBlock } from '../lib/create-check';
import { formatBytes } from '../lib/format';
import { useHub } from '../lib/hub-context';
import { useCreateWorkspace } from '../lib/use-create-workspace';
import { quotaLines } from '../lib/quota';
import type { WorkspaceView } from '../../../main/api/dto';
import { MAX_DAYS } from '../../../main/api/requests';
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
  const quota = useMemo(() => (me ? quotaLines(me, mine) : []), [me, mine]);
  const maxDays = settings?.maxDays ?? undefined;
  // Errors show for fields people have typed in, and for all of them once they press Create.
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  const checked = useMemo(() => createErrors(bodyOf(form), info.user.name, quota, maxDays ?? null), [form, info.user.name, quota, maxDays]);
  const blocked = workspaceCountBlock(quota);
  const touch = (field: string) => setTouched((t) => (t === 'all' ? t : new Set(t).add(field)));
  const set = (k: keyof Form) => (e: { target: { value: string; checked?: boolean; type?: string } }) => {
    touch(k === 'customImage' ? 'image' : k);
    setForm((f) => ({ ...f, [k]: e.target.type === 'checkbox' ? Boolean(e.target.checked) : e.target.value }));
  };
  /** The field's error: the hub's refusal of the last Create, else what the rules say of it now. */
  const errorOf = (field: string): string | null => {
    if (error?.field !== undefined && (error.field === field || error.field.startsWith(`${field}.`))) return error.message;
    return touched === 'all' || touched.has(field) ? checked[field] ?? null : null;
  };
  const invalid = (field: string) => (errorOf(field) ? true : undefined);

  const submit = () => {
    setTouched('all');
    if (blocked || Object.keys(checked).length > 0) return;
    void create(bodyOf(form) as never);
  };

  return (
    <main id="main">
      <h1>New workspace</h1>
      {quota.length > 0 && (
        <p className="notice" data-testid="quota">Your quota: {quota.map((q) => q.text).join(' · ')}</p>
      )}
      {blocked && <p className="alert" data-testid="quota-blocked">{blocked}</p>}
      <CreateForm state={creating} onSubmit={submit} blocked={blocked !== null}>
        <fieldset disabled={busy || blocked !== null}>
          <legend>Workspace</legend>
          <div className="grid2">
            <Field id="nw-name" label="Name" hint="Lowercase letters, digits and dashes, up to 40." error={errorOf('name')}>
              {(aria) => <input {...aria} value={form.name} onChange={set('name')} required maxLength={40} autoComplete="off" />}
            </Field>
            <ImagePicker images={images} value={form.image} custom={form.customImage} invalid={invalid('image')}
              onChange={(image) => { touch('image'); setForm((f) => ({ ...f, image })); }}
              onCustomChange={(customImage) => { touch('image'); setForm((f) => ({ ...f, customImage })); }} />
          </div>
          {errorOf('image') && <p className="field-error" data-testid="nw-image-error">{errorOf('image')}</p>}
        </fieldset>
        <fieldset disabled={busy || blocked !== null}>
          <legend>Limits</legend>
          <div className="grid2">
            <Field id="nw-cpus" label="CPUs" hint={hint('Image default', d.cpus) ?? 'e.g. 0.5 or 2; empty: the default'} error={errorOf('cpus')}>
              {(aria) => <input {...aria} inputMode="decimal" value={form.cpus} onChange={set('cpus')} placeholder={d.cpus !== undefined ? String(d.cpus) : 'no limit'} />}
            </Field>
            <Field id="nw-memory" label="Memory" hint={hint('Image default', d.memory === undefined ? undefined : formatBytes(d.memory)) ?? 'e.g. 512m or 4g'} error={errorOf('memory')}>
              {(aria) => <input {...aria} value={form.memory} onChange={set('memory')} placeholder={d.memory !== undefined ? formatBytes(d.memory) : 'no limit'} />}
            </Field>
            <Field id="nw-shm" label="Shared memory" hint="/dev/shm size, e.g. 1g (PyTorch data loaders need it)" error={errorOf('shm')}>
              {(aria) => <input {...aria} value={form.shm} onChange={set('shm')} placeholder={d.shm !== undefined ? formatBytes(d.shm) : 'engine default'} />}
            </Field>
            <Field id="nw-gpus" label="GPUs" hint="all, a count, or device ids like 0,2" error={errorOf('gpus')}>
              {(aria) => <input {...aria} value={form.gpus} onChange={set('gpus')} placeholder={d.gpus ?? 'none'} />}
            </Field>
            <Field id="nw-days" label="Days to live" error={errorOf('days')}
              hint={[hint('Image default', d.days), hint('hub default', settings?.defaultDays), hint('at most', maxDays ?? MAX_DAYS)].filter(Boolean).join('; ')}>
              {(aria) => <input {...aria} type="number" min="0.01" step="any" max={maxDays ?? MAX_DAYS} value={form.days} onChange={set('days')} placeholder={String(d.days ?? settings?.defaultDays ?? 'never expires')} />}
            </Field>
          </div>
        </fieldset>
        <fieldset disabled={busy || blocked !== null}>
          <legend>Environment and data</legend>
          <Field id="nw-env" label="Environment variables" hint="One KEY=value per line" error={errorOf('env')}>
            {(aria) => <textarea {...aria} value={form.env} onChange={set('env')} placeholder={'KEY=value\nOTHER=value'} spellCheck={false} />}
          </Field>
          <label className="check"><input type="checkbox" checked={form.volume} onChange={set('volume')} /> Keep my files in a persistent volume</label>
        </fieldset>
      </CreateForm>
    </main>
  );
}

/**
 * New workspace on a connected JupyterHub: a server name ("default" is the default server) and the
 * fields the hub's options form maps to user_options (json: image; ML Hub: image, limits, env,
 * days; KubeSpawner: a profile), raw Options lines on top, and the hub's default options shown as
 * sent. No image list, quota or capacity is asked for: JupyterHub has none of them. Submitting
 * shows JupyterHub's spawn progress and ends on the server's page, or on JupyterHub's own reason.
 */
import { useState } from 'react';
import type { CreateForm as CreateFormKind } from '../../../main/api/capabilities';

type UserOptionsForm = Extract<CreateFormKind, { form: 'user-options' }>;
import { CreateForm } from '../components/create-form';
import { EMPTY_JUPYTERHUB_FORM, FIELDS_OF, jupyterHubBody, type JupyterHubForm } from '../lib/jupyterhub-body';
import { useCreateWorkspace } from '../lib/use-create-workspace';

type Field = keyof JupyterHubForm;

/** Label, hint and input kind of each optional field (same labels as the Hubdeck form). */
const FIELDS: Partial<Record<Field, { label: string; hint: string; placeholder?: string; multiline?: boolean }>> = {
  image: { label: 'Image', hint: 'Sent as the "image" option; empty: the spawner\'s default', placeholder: 'jupyter/base-notebook' },
  cpus: { label: 'CPUs', hint: 'Sent as cpu_limit, e.g. 0.5 or 2', placeholder: 'the hub\'s default' },
  memory: { label: 'Memory', hint: 'Sent as mem_limit, e.g. 512m or 4g', placeholder: 'the hub\'s default' },
  gpus: { label: 'GPUs', hint: 'Sent as gpus: all, a count, or device ids like 0,2', placeholder: 'none' },
  shm: { label: 'Shared memory', hint: 'Sent as shm_size, e.g. 1g', placeholder: 'the hub\'s default' },
  days: { label: 'Days to live', hint: 'Sent as days_to_live', placeholder: 'the hub\'s default' },
  env: { label: 'Environment variables', hint: 'KEY=value, one a line; sent as env', placeholder: 'KEY=value\nOTHER=value', multiline: true },
  profile: { label: 'Profile', hint: 'The KubeSpawner profile\'s slug, sent as "profile"', placeholder: 'the hub\'s default profile' },
};

function OptionalField({ k, value, onChange, invalid }: { k: Field; value: string; onChange: (v: string) => void; invalid: boolean }) {
  const f = FIELDS[k]!;
  const id = `jh-${k}`;
  const common = { id, value, placeholder: f.placeholder, 'aria-describedby': `${id}-hint`, 'aria-invalid': invalid || undefined, spellCheck: false };
  return (
    <div className="field">
      <label htmlFor={id}>{f.label}</label>
      {f.multiline
        ? <textarea {...common} onChange={(e) => onChange(e.target.value)} />
        : <input {...common} type={k === 'days' ? 'number' : 'text'} min={k === 'days' ? '0.01' : undefined} step={k === 'days' ? 'any' : undefined} onChange={(e) => onChange(e.target.value)} />}
      <span id={`${id}-hint`} className="hint">{f.hint}</span>
    </div>
  );
}

/** `form`: the hub's user_options form (its capabilities' create); `about`: what the hub is, e.g. "JupyterHub (3.0.0)". */
export function UserOptionsNewWorkspace({ form: options, about }: { form: UserOptionsForm; about: string }) {
  const [form, setForm] = useState<JupyterHubForm>(EMPTY_JUPYTERHUB_FORM);
  const creating = useCreateWorkspace();
  const { busy, error, setError, create } = creating;
  const fields = FIELDS_OF[options.mapping];
  const defaults = Object.keys(options.defaults).length ? JSON.stringify(options.defaults, null, 2) : null;

  const set = (k: Field) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const invalid = (k: string) => error?.field === k || (k === 'options' && error?.field === 'userOptions');

  const submit = async () => {
    const body = jupyterHubBody(form, options.mapping);
    if (!body.ok) return setError({ message: body.error });
    await create(body.value as never);
  };

  return (
    <main id="main">
      <h1>New workspace</h1>
      <p className="muted">On this {about} a workspace is one of your servers; the form's fields become the spawner's user_options.</p>
      {options.missingScopes.length > 0 && <p className="notice">This hub's token lacks the {options.missingScopes.join(' and ')} scope: starting or opening servers may be refused.</p>}
      <CreateForm state={creating} onSubmit={() => void submit()}>
        <fieldset disabled={busy}>
          <legend>Server</legend>
          <div className="grid2">
            <div className="field">
              <label htmlFor="jh-name">Name</label>
              <input id="jh-name" value={form.name} onChange={(e) => set('name')(e.target.value)} required maxLength={255}
                aria-invalid={invalid('name') || undefined} aria-describedby="jh-name-hint" autoComplete="off" />
              <span id="jh-name-hint" className="hint">"default" is the default server; any other name makes a named server.</span>
            </div>
            {fields.filter((k) => k !== 'env').map((k) => <OptionalField key={k} k={k} value={form[k]} onChange={set(k)} invalid={invalid(k)} />)}
          </div>
          {fields.includes('env') && <OptionalField k="env" value={form.env} onChange={set('env')} invalid={invalid('env')} />}
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Options</legend>
          <div className="field">
            <label htmlFor="jh-options">Options</label>
            <textarea id="jh-options" className="mono" value={form.options} onChange={(e) => set('options')(e.target.value)} spellCheck={false}
              placeholder={'KEY=VALUE\ncpu_guarantee=1'} aria-invalid={invalid('options') || undefined} aria-describedby="jh-options-hint" />
            <span id="jh-options-hint" className="hint">Any user_options the hub's spawner reads, one KEY=VALUE a line; a value that is valid JSON (3, true, {'{"a": 1}'}) is sent as JSON, else as text. Applied last.</span>
          </div>
          <div className="field">
            <label htmlFor="jh-defaults">Default options</label>
            <textarea id="jh-defaults" className="mono" readOnly value={defaults ?? 'none'} aria-describedby="jh-defaults-hint" />
            <span id="jh-defaults-hint" className="hint">Sent with every create on this hub (set when it was added), under the fields above.</span>
          </div>
        </fieldset>
      </CreateForm>
    </main>
  );
}

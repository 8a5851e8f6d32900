/**
 * Admin: the hub's persisted audit log — who (user, token, address) did what to which object, when,
 * and how it ended — with filters, older pages by cursor, CSV/JSON export of what the filters
 * select, and how long entries are kept (the hub's auditRetentionDays setting).
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditFilter, AuditOutcome } from '../../../../main/api/audit-dto';
import { useHub } from '../../lib/hub-context';
import { attempt, useLoad } from '../../lib/use-load';

const PAGE = 50;
type FilterText = Record<'user' | 'workspace' | 'action' | 'outcome' | 'since' | 'until', string>;
const NO_FILTER: FilterText = { user: '', workspace: '', action: '', outcome: '', since: '', until: '' };

/** The form's text as the API's filter: empty fields left out, local times as ISO. */
export function filterOf(t: FilterText): AuditFilter {
  const f: AuditFilter = {};
  for (const k of ['user', 'workspace', 'action'] as const) if (t[k].trim()) f[k] = t[k].trim();
  if (t.outcome) f.outcome = t.outcome as AuditOutcome;
  for (const k of ['since', 'until'] as const) if (t[k]) f[k] = new Date(t[k]).toISOString();
  return f;
}

function Filters({ value, onApply }: { value: FilterText; onApply: (t: FilterText) => void }) {
  const [t, setT] = useState(value);
  const text = (k: keyof FilterText, label: string, type = 'text', placeholder?: string) => (
    <div className="field">
      <label htmlFor={`af-${k}`}>{label}</label>
      <input id={`af-${k}`} type={type} value={t[k]} onChange={(e) => setT({ ...t, [k]: e.target.value })} placeholder={placeholder} autoComplete="off" />
    </div>
  );
  return (
    <form className="panel" aria-label="Audit log filters" onSubmit={(e) => { e.preventDefault(); onApply(t); }}>
      <div className="grid2">
        {text('user', 'User')}
        {text('workspace', 'Workspace', 'text', 'name or owner/name')}
        {text('action', 'Action', 'text', 'e.g. workspace.create')}
        <div className="field">
          <label htmlFor="af-outcome">Outcome</label>
          <select id="af-outcome" value={t.outcome} onChange={(e) => setT({ ...t, outcome: e.target.value })}>
            <option value="">any</option><option value="ok">ok</option><option value="refused">refused</option><option value="failed">failed</option>
          </select>
        </div>
        {text('since', 'From', 'datetime-local')}
        {text('until', 'Until', 'datetime-local')}
      </div>
      <div className="row">
        <button type="submit" className="primary">Apply filters</button>
        <button type="button" onClick={() => { setT(NO_FILTER); onApply(NO_FILTER); }}>Clear</button>
      </div>
    </form>
  );
}

function EntryRow({ e }: { e: AuditEntry }) {
  return (
    <tr>
      <td><time dateTime={e.time}>{new Date(e.time).toLocaleString()}</time></td>
      <td>{e.user ?? <span className="muted">nobody</span>}{e.tokenId && <div className="muted mono">token {e.tokenId}</div>}</td>
      <td className="mono">{e.address ?? <span className="muted">this app</span>}</td>
      <td className="mono">{e.action}</td>
      <td>{e.objectType} <span className="mono">{e.objectName}</span></td>
      <td>{e.outcome}{e.code && <span className="muted"> ({e.code})</span>}</td>
      <td>{e.reason ?? ''}</td>
    </tr>
  );
}

/** Downloads what the filters select, streamed from the hub into one file. */
async function download(client: ReturnType<typeof useHub>['client'], f: AuditFilter, format: 'csv' | 'json'): Promise<void> {
  const parts: string[] = [];
  for await (const chunk of client.exportAudit({ ...f, format })) parts.push(chunk);
  const url = URL.createObjectURL(new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `audit-log.${format}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Retention() {
  const { client } = useHub();
  const settings = useLoad(() => client.getSettings(), [client]);
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = days ?? (settings.data ? String(settings.data.auditRetentionDays ?? '') : '');
  const save = () => attempt(async () => {
    await client.updateSettings({ body: { auditRetentionDays: shown.trim() ? Number(shown) : null } });
    settings.reload();
    setDays(null);
  }, setError);
  return (
    <form className="panel" aria-label="Audit log retention" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {(error ?? settings.error) && <p role="alert" className="alert">{error ?? settings.error}</p>}
      <div className="row">
        <label htmlFor="audit-days">Keep entries for (days; empty: for ever)</label>
        <input id="audit-days" inputMode="numeric" value={shown} onChange={(e) => setDays(e.target.value)} style={{ width: '7em' }} />
        <button type="submit">Save</button>
      </div>
    </form>
  );
}

export function AuditLogSection() {
  const { client } = useHub();
  const [text, setText] = useState(NO_FILTER);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async (before?: number) => {
    setBusy(true);
    await attempt(async () => {
      const page = await client.listAudit({ ...filterOf(text), before, limit: PAGE });
      setEntries((old) => (before === undefined ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
    }, setError);
    setBusy(false);
  }, [client, text]);
  useEffect(() => { void load(); }, [load]);
  return (
    <section aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <p className="muted">Every change, sign-in and refusal, kept by the hub; newest first.</p>
      <Filters value={text} onApply={setText} />
      {error && <p role="alert" className="alert">{error}</p>}
      <div className="row">
        <button type="button" onClick={() => void load()} disabled={busy}>Refresh</button>
        <button type="button" onClick={() => void attempt(() => download(client, filterOf(text), 'csv'), setError)}>Export CSV</button>
        <button type="button" onClick={() => void attempt(() => download(client, filterOf(text), 'json'), setError)}>Export JSON</button>
        <span className="muted" aria-live="polite">{entries.length} entr{entries.length === 1 ? 'y' : 'ies'} shown{next !== null ? ', more below' : ''}</span>
      </div>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Audit log entries, newest first</caption>
          <thead><tr>{['Time', 'Who', 'Address', 'Action', 'Object', 'Outcome', 'Reason'].map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>
            {entries.map((e) => <EntryRow key={e.id} e={e} />)}
            {entries.length === 0 && !busy && <tr><td colSpan={7} className="muted">No entries match.</td></tr>}
          </tbody>
        </table>
      </div>
      {next !== null && <p><button type="button" onClick={() => void load(next)} disabled={busy}>Older entries</button></p>}
      <Retention />
    </section>
  );
}

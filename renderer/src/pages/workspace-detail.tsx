/**
 * One workspace: its facts and actions, CPU and memory plotted over time (a dedicated watchStats
 * stream), its logs streaming as they are written, and how to reach it over SSH — each as the hub's
 * capabilities allow; for each it lacks (a connected JupyterHub lacks all) one line says why.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { HubInfo, WorkspaceView } from '../../../main/api/dto';
import { errorMessage } from '../../../main/api/error-codes';
import { Expiry } from '../components/expiry';
import { Limits, StateBadge } from '../components/limits';
import { NotAvailable } from '../components/not-available';
import { StatsCharts } from '../components/stats-chart';
import { WorkspaceActions } from '../components/workspace-actions';
import { copyText, desktop, desktopTerminal } from '../lib/desktop';
import { formatDate, limitsOf } from '../lib/format';
import { UsageHistory } from '../components/usage-history';
import { useHub, useHubEvents } from '../lib/hub-context';
import { hrefOf, navigate } from '../lib/router';
import { sshAliasFor, sshCommandFor, sshSetupCommand } from '../lib/ssh';
import { useStats } from '../lib/use-stats';

// xterm.js is loaded only when a terminal is opened: the first page stays small.
const TerminalView = lazy(() => import('../components/terminal-view'));

const STATS_MS = 1000;
const STATS_KEEP = 90;
/** Lines of log kept on the page; older ones scroll away (the hub keeps them all). */
const LOG_LINES = 2000;

function Logs({ w }: { w: WorkspaceView }) {
  const { client } = useHub();
  const [text, setText] = useState('');
  const [state, setState] = useState<'following' | 'ended' | 'error'>('following');
  const [error, setError] = useState<string | null>(null);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  // A restart begins a new log stream: follow again when the workspace starts running.
  const generation = w.state === 'running' ? w.startedAt ?? 'running' : 'stopped';

  useEffect(() => {
    const abort = new AbortController();
    setText('');
    setState('following');
    (async () => {
      try {
        for await (const chunk of client.workspaceLogs({ user: w.user, name: w.name, tail: 500, follow: true }, { signal: abort.signal })) {
          setText((t) => {
            const all = t + chunk;
            const lines = all.split('\n');
            return lines.length > LOG_LINES ? lines.slice(-LOG_LINES).join('\n') : all;
          });
        }
        if (!abort.signal.aborted) setState('ended');
      } catch (e) {
        if (abort.signal.aborted) return;
        setError(errorMessage(e));
        setState('error');
      }
    })();
    return () => abort.abort();
  }, [client, w.user, w.name, generation]);

  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  return (
    <section aria-labelledby="logs-h">
      <div className="spread">
        <h2 id="logs-h">Logs</h2>
        <span className="muted" role="status">{state === 'following' ? 'following' : state === 'ended' ? 'stream ended' : error}</span>
      </div>
      <pre
        ref={pre} className="logs" tabIndex={0} aria-label={`Logs of ${w.name}`} data-testid="logs"
        onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8; }}
      >{text || (state === 'following' ? 'Waiting for output…' : '')}</pre>
    </section>
  );
}

function Ssh({ w }: { w: WorkspaceView }) {
  const { info } = useHub();
  if (!info.ssh) return null;
  return <SshOf w={w} ssh={info.ssh} />;
}

function SshOf({ w, ssh }: { w: WorkspaceView; ssh: NonNullable<HubInfo['ssh']> }) {
  const alias = sshAliasFor(w, ssh.alias);
  const [copied, setCopied] = useState<string | null>(null);
  const cmd = sshCommandFor(alias);
  // The local hub's entries go through `hubdeck ssh-proxy`: no hub URL to name.
  const setup = sshSetupCommand(ssh.alias === 'hubdeck' ? null : window.location.origin);
  const copy = async (text: string) => setCopied((await copyText(text)) ? `Copied: ${text}` : 'Select the text and copy it');
  return (
    <section aria-labelledby="ssh-h" className="panel">
      <h2 id="ssh-h">SSH</h2>
      <dl className="facts">
        <dt>Alias</dt><dd><code data-testid="ssh-alias">{alias}</code></dd>
        <dt>Command</dt><dd className="row"><code data-testid="ssh-command">{cmd}</code> <button type="button" onClick={() => void copy(cmd)}>Copy SSH command</button></dd>
        <dt>Set up once</dt><dd className="row"><code>{setup}</code> <button type="button" onClick={() => void copy(setup)}>Copy setup command</button></dd>
      </dl>
      <p className="muted">The alias works with ssh, scp, sftp, <code>ssh -L</code> port forwards and VS Code Remote-SSH{ssh.listen ? `; the hub's SSH gateway listens on ${ssh.listen}` : ''}. Host key {ssh.fingerprint}.</p>
      <p role="status" className="muted">{copied ?? ''}</p>
    </section>
  );
}

function TerminalPanel({ w }: { w: WorkspaceView }) {
  const [open, setOpen] = useState(false);
  // In the app the page has no session with the hub (it talks over IPC): the main process relays
  // the terminal instead.
  const connector = useMemo(() => (desktop ? desktopTerminal(desktop, { user: w.user, name: w.name }) : undefined), [w.user, w.name]);
  let body: ReactElement;
  if (w.state !== 'running') body = <p className="muted">Start the workspace to open a terminal.</p>;
  else if (!open) body = <button type="button" onClick={() => setOpen(true)}>Open terminal</button>;
  else body = <Suspense fallback={<p className="muted">Loading terminal…</p>}><TerminalView user={w.user} name={w.name} connector={connector} /></Suspense>;
  return (
    <section aria-labelledby="terminal-h">
      <div className="spread">
        <h2 id="terminal-h">Terminal</h2>
        {open && w.state === 'running' && <button type="button" onClick={() => setOpen(false)}>Close terminal</button>}
      </div>
      {body}
    </section>
  );
}

function Usage({ w }: { w: WorkspaceView }) {
  const { samples, error } = useStats(w, w.state === 'running', { intervalMs: STATS_MS, keep: STATS_KEEP });
  return (
    <section aria-labelledby="usage-h">
      <h2 id="usage-h">CPU and memory</h2>
      {w.state !== 'running' ? <p className="muted">Not running.</p> : error ? <p className="alert">{error}</p> : <StatsCharts samples={samples} slots={STATS_KEEP} intervalMs={STATS_MS} limitCpus={limitsOf(w).cpus} />}
      <UsageHistory user={w.user} name={w.name} limitCpus={limitsOf(w).cpus} />
    </section>
  );
}

/** The facts the hub knows of a workspace: limits where made from a spec, expiry where it expires, the address where it is the hub's own page. */
function Details({ w, setW }: { w: WorkspaceView; setW: (w: WorkspaceView) => void }) {
  const caps = useHub().info.capabilities;
  return (
    <section className="panel" aria-label="Details">
      <dl className="facts">
        <dt>Owner</dt><dd>{w.user}</dd>
        <dt>Image</dt><dd className="mono">{w.image || '—'}</dd>
        {caps.create?.form === 'spec' && <><dt>Limits</dt><dd><Limits w={w} /></dd></>}
        {caps.extend && <><dt>Expiry</dt><dd><Expiry w={w} onDone={setW} /></dd></>}
        <dt>Status</dt><dd>{w.status || '—'}</dd>
        {w.createdAt && <><dt>Created</dt><dd>{formatDate(w.createdAt)}</dd></>}
        <dt>Started</dt><dd>{formatDate(w.startedAt)}</dd>
        {w.node && <><dt>Node</dt><dd>{w.node}</dd></>}
        {caps.volumes && <><dt>Data volume</dt><dd className="mono">{w.volume ?? 'none'}</dd></>}
        {caps.open === 'hub-page' && <><dt>Address</dt><dd className="mono">{w.baseUrl}</dd></>}
      </dl>
    </section>
  );
}

/** The facts, then each section the hub offers (usage, SSH, terminal, logs), and one line on each it does not. */
function Sections({ w, setW }: { w: WorkspaceView; setW: (w: WorkspaceView) => void }) {
  const caps = useHub().info.capabilities;
  return (
    <>
      <Details w={w} setW={setW} />
      {caps.stats && <Usage w={w} />}
      {caps.ssh && <Ssh w={w} />}
      {caps.terminal && <TerminalPanel w={w} />}
      {caps.logs && <Logs w={w} />}
      <NotAvailable caps={caps} what={['stats', 'logs', 'terminal', 'ssh', 'extend']} />
    </>
  );
}

export function WorkspaceDetailPage({ user, name }: { user: string; name: string }) {
  const { client } = useHub();
  const [w, setW] = useState<WorkspaceView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);

  useEffect(() => {
    client.getWorkspace({ user, name }).then(setW, (e: Error & { code?: string }) => { if (e.code === 'not_found') setGone(true); else setError(e.message); });
  }, [client, user, name]);

  useHubEvents((e) => {
    if (!('name' in e) || e.user !== user || e.name !== name) return;
    if (e.type === 'workspace.removed') return setGone(true);
    if (e.type === 'workspace.state') setW((cur) => (cur ? { ...cur, state: e.state } : cur));
    if (e.type === 'workspace.state' || e.type === 'workspace.extended') client.getWorkspace({ user, name }).then(setW, () => undefined);
  });

  if (gone) {
    return <main id="main"><h1>{name}</h1><p className="notice">This workspace no longer exists. <a href={hrefOf({ page: 'workspaces' })}>Back to workspaces</a></p></main>;
  }
  return (
    <main id="main">
      <p><a href={hrefOf({ page: 'workspaces' })}>← Workspaces</a></p>
      <div className="spread">
        <h1>{name} {w && <StateBadge w={w} />}</h1>
        {w && <WorkspaceActions w={w} onError={setError} onDone={setW} onRemoved={() => navigate({ page: 'workspaces' })} />}
      </div>
      {error && <p role="alert" className="alert">{error}</p>}
      {!w ? <p className="muted">Loading…</p> : (
        <Sections w={w} setW={setW} />
      )}
    </main>
  );
}

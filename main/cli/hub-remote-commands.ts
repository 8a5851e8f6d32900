/**
 * `hubdeck hub add NAME URL [--jupyterhub]`, `hub list`, `hub remove NAME`: the hubs this machine's CLI
 * knows by name (hubs.json, 0600), so `hubdeck --hub NAME …` needs no URL or token. A hub is checked
 * before it is saved: a JupyterHub's version (3 or later) and token, a Hubdeck hub's token and pin.
 */
import { Command } from 'commander';
import { HubdeckError, ValidationError } from '../core/errors';
import { findSavedHub, readSavedHubs, removeSavedHub, saveHub, savedHubsFile, type SavedHub } from '../client/saved-hubs';
import { JUPYTERHUB_OPTION_FORMS, savedHubNameProblem, type JupyterHubOptionsConfig } from '../client/saved-hub-record';
import { localDataDir, printJson, type CliIo, type GlobalOptions } from './cli-context';
import { collect } from './with-session';
import { table } from './table';

interface AddFlags {
  jupyterhub?: boolean;
  optionsForm: string;
  defaultOption: string[];
  allowHttp?: boolean;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The URL, normalized; plain http only on loopback unless --allow-http (the token would travel in clear). */
function checkedUrl(text: string, allowHttp: boolean): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ValidationError('url', `"${text}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ValidationError('url', `"${text}" is not an http(s) URL`);
  if (u.username || u.password || u.search || u.hash) throw new ValidationError('url', `"${text}" must not carry credentials, a query or a fragment`);
  if (u.protocol === 'http:' && !LOOPBACK.test(u.hostname) && !allowHttp) throw new ValidationError('url', `"${text}" is plain http: the token would cross the network in clear text; use https (or --allow-http on a network you trust)`);
  return u.toString().replace(/\/+$/, '');
}

async function add(io: CliIo, g: GlobalOptions, name: string, urlText: string, o: AddFlags): Promise<void> {
  const problem = savedHubNameProblem(name);
  if (problem) throw new ValidationError('name', problem);
  const url = checkedUrl(urlText, o.allowHttp === true);
  const token = g.token ?? io.env.HUBDECK_TOKEN;
  if (!token) throw new ValidationError('token', 'pass the hub token with --token (or set HUBDECK_TOKEN)');
  const file = savedHubsFile(localDataDir(g, io.env));
  if (findSavedHub(file, name)?.name === name) throw new HubdeckError('conflict', `a hub named "${name}" is saved already: hubdeck hub remove ${name} first`);
  const hub = o.jupyterhub ? await checkJupyterHub(io, url, token, await jupyterHubOptions(o)) : await checkHubdeckHub(url, token, g.fingerprint ?? io.env.HUBDECK_HUB_FINGERPRINT);
  saveHub(file, { ...hub, name, addedAt: new Date().toISOString() });
  const jh = hub.jupyterhub;
  const shown = { name, kind: hub.kind, url, user: hub.user, version: jh?.version ?? null, options: jh?.options ?? null };
  if (g.json) return printJson(io, shown);
  io.out(`Saved ${jh ? `JupyterHub ${jh.version}` : `Hubdeck hub ${hub.hubId}`} at ${url} as "${name}" (you are ${hub.user}).`);
  io.out(`Try  hubdeck --hub ${name} workspace list`);
}

async function jupyterHubOptions(o: AddFlags): Promise<JupyterHubOptionsConfig> {
  const form = o.optionsForm as JupyterHubOptionsConfig['form'];
  if (!JUPYTERHUB_OPTION_FORMS.includes(form)) throw new ValidationError('options-form', `"${o.optionsForm}" is not one of ${JUPYTERHUB_OPTION_FORMS.join(', ')}`);
  const { parseOptionPairs } = await import('../client/jupyterhub/jupyterhub-options');
  return { form, defaults: parseOptionPairs(o.defaultOption, 'default-option') };
}

type Checked = Omit<SavedHub, 'name' | 'addedAt'>;

async function checkJupyterHub(io: CliIo, url: string, token: string, options: JupyterHubOptionsConfig): Promise<Checked> {
  const { probeJupyterHub } = await import('../client/jupyterhub/jupyterhub-workspaces');
  const { version, user, missingScopes: missing } = await probeJupyterHub(url, token);
  // Saved anyway (listing may be all it is for), but the user learns now why start or open would fail.
  if (missing.length) io.err(`warning: this token lacks the JupyterHub scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (needed to ${missing.map((m) => (m === 'servers' ? 'start and stop servers' : 'open them in a browser')).join(' and ')})`);
  return { kind: 'jupyterhub', url, token, fingerprint: null, user, hubId: 'jupyterhub', jupyterhub: { version, options } };
}

async function checkHubdeckHub(url: string, token: string, pin: string | undefined): Promise<Checked> {
  const [{ remoteHubClient }, { normalizeFingerprint }] = await Promise.all([import('../client/remote-hub-client'), import('../client/pinned-agent')]);
  const fingerprint = pin === undefined ? null : normalizeFingerprint(pin);
  if (pin !== undefined && !fingerprint) throw new ValidationError('fingerprint', `"${pin}" is not a SHA-256 fingerprint (64 hex digits)`);
  const client = remoteHubClient({ url, token, fingerprint: pin });
  const info = await client.info().finally(() => client.close());
  return { kind: 'hubdeck', url, token, fingerprint, user: info.user.name, hubId: info.hubId };
}

export function hubRemoteCommands(io: CliIo): Command[] {
  const addCmd = new Command('add')
    .description('save a hub by name for --hub NAME, after checking it answers and takes the token: a Hubdeck hub, or with --jupyterhub a JupyterHub 3+')
    .argument('<name>', 'what to call it here (lower-case letters, digits, . _ -)')
    .argument('<url>', 'its address, e.g. https://jupyter.example.org')
    .option('--jupyterhub', 'it is a JupyterHub (3 or later); --token is a JupyterHub API token of yours')
    .option('--options-form <form>', 'JupyterHub: how workspace create flags become user_options: json (--image as "image", the rest with --option KEY=VALUE), mlhub (ML Hub keys: image, cpu_limit, mem_limit, gpus, shm_size, env, days_to_live) or profile (KubeSpawner: --option profile=SLUG)', 'json')
    .option('--default-option <key=value>', 'JupyterHub: a user_options entry sent with every create (repeatable)', collect, [])
    .option('--allow-http', 'accept plain http to a non-loopback address (the token travels in clear text)')
    .addHelpText('after', '\nThe token is stored in hubs.json (mode 0600) in the data directory. Example:\n  hubdeck hub add team https://jupyter.example.org --jupyterhub --token $JH_TOKEN --options-form mlhub\n  hubdeck --hub team workspace create exp1 --image ml/torch:2 --cpus 4')
    .action((name: string, url: string, o: AddFlags, cmd: Command) => {
      if (o.defaultOption.length && !o.jupyterhub) throw new ValidationError('default-option', 'only for a JupyterHub (--jupyterhub)');
      return add(io, cmd.optsWithGlobals<GlobalOptions>(), name, url, o);
    });

  const listCmd = new Command('list').alias('ls').description('the hubs saved here (hub add, hub join); tokens are not shown')
    .action((_o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const hubs = readSavedHubs(savedHubsFile(localDataDir(g, io.env)))
        .map((h) => ({ name: h.name, kind: h.kind, url: h.url, user: h.user, hubId: h.hubId, version: h.jupyterhub?.version ?? null, optionsForm: h.jupyterhub?.options.form ?? null, addedAt: h.addedAt }));
      if (g.json) return printJson(io, hubs);
      io.out(table(['NAME', 'KIND', 'URL', 'USER', 'ADDED'], hubs.map((h) => [h.name, h.kind, h.url, h.user, h.addedAt])));
    });

  const removeCmd = new Command('remove').alias('rm').argument('<name>', 'a saved hub')
    .description('forget a saved hub and its token here (the token stays valid on the hub: revoke it there)')
    .action((name: string, _o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (!removeSavedHub(savedHubsFile(localDataDir(g, io.env)), name)) throw new HubdeckError('not_found', `no hub named "${name}" is saved here (see hubdeck hub list)`);
      if (g.json) return printJson(io, { name, removed: true });
      io.out(`removed hub "${name}"`);
    });
  return [addCmd, listCmd, removeCmd];
}

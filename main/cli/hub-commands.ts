/** `hubdeck hub serve` (the headless team hub) and `hubdeck hub info`. */
import path from 'node:path';
import { Command } from 'commander';
import { ValidationError } from '../core/errors';
import { hubInfoLines } from '../api/hub-info';
import { checkOrigin } from '../core/names';
import type { TlsChoice } from '../server/serve';
import { describeWebAccess } from '../server/web-access';
import { localDataDir, printJson, type CliIo, type GlobalOptions } from './cli-context';
import { collect, withSession } from './with-session';
import { builtUiDir } from './built-ui';
import { parseListen } from './listen-address';
import { isIP } from 'node:net';
import { addAuthOptions, teamSignInFrom, type AuthFlags } from './auth-flags';

interface ServeFlags extends AuthFlags {
  listen: string;
  workspaceHost?: string;
  publicUrl?: string;
  workspacePaths?: boolean;
  engine: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tick: string;
  trustedProxy: string[];
  sshListen?: string;
  swarmConstraint: string[];
  swarmPreference: string[];
  swarmImageConstraint: string[];
  swarmImagePreference: string[];
  swarmNode: string[];
  kubeconfig?: string;
  kubeContext?: string;
  namespace?: string;
  storageClass?: string;
  volumeSize?: string;
}

const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const K8S_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

/** The Kubernetes flags, checked here so a typo fails before the hub connects to anything. */
function kubeFlags(o: ServeFlags): { kubeconfig?: string; context?: string; namespace?: string; storageClass?: string; volumeSize: string } {
  if (o.namespace !== undefined && !K8S_NAME.test(o.namespace)) throw new ValidationError('namespace', `"${o.namespace}" is not a Kubernetes namespace name`);
  if (o.storageClass !== undefined && !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(o.storageClass)) throw new ValidationError('storage-class', `"${o.storageClass}" is not a StorageClass name`);
  const volumeSize = o.volumeSize ?? '10Gi';
  if (!K8S_QUANTITY.test(volumeSize)) throw new ValidationError('volume-size', `"${volumeSize}" is not a size Kubernetes understands (e.g. 10Gi)`);
  return { kubeconfig: o.kubeconfig ? path.resolve(o.kubeconfig) : undefined, context: o.kubeContext, namespace: o.namespace, storageClass: o.storageClass, volumeSize };
}

export function hubCommands(io: CliIo): Command {
  const hub = new Command('hub').description('run or inspect a hub');

  addAuthOptions(hub.command('serve'))
    .description('serve the hub API for a team (prints the first admin token on first start)')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8585')
    .option('--engine <kind>', 'workspace engine: docker, swarm (this Docker engine must be a swarm manager), kubernetes, or fake (in memory, for demos and UI tests)', 'docker')
    .option('--swarm-constraint <expr>', 'swarm: a placement constraint for every workspace, e.g. node.labels.pool==ml (repeatable)', collect, [])
    .option('--swarm-preference <label>', 'swarm: spread workspaces over a node label, e.g. node.labels.zone (repeatable)', collect, [])
    .option('--swarm-image-constraint <image=expr>', 'swarm: a constraint for one image, e.g. ml/torch:2=node.labels.gpu==true (repeatable)', collect, [])
    .option('--swarm-image-preference <image=label>', 'swarm: a spread preference for one image (repeatable)', collect, [])
    .option('--swarm-node <node=host>', 'swarm: how to reach another node\'s Docker engine for exec, logs and connect, e.g. gpu1=ssh://admin@gpu1 (repeatable)', collect, [])
    .option('--kubeconfig <file>', 'kubernetes: the kubeconfig file (default: KUBECONFIG, ~/.kube/config, or the pod\'s service account)')
    .option('--kube-context <name>', 'kubernetes: the kubeconfig context to use (default: its current context)')
    .option('--namespace <name>', 'kubernetes: the namespace workspaces live in (default: the context\'s, or the pod\'s)')
    .option('--storage-class <name>', 'kubernetes: StorageClass of workspace data volumes (default: the cluster\'s default)')
    .option('--volume-size <size>', 'kubernetes: size of each workspace data volume, e.g. 10Gi', '10Gi')
    .option('--tls', 'serve HTTPS with a generated self-signed certificate (its fingerprint is printed)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'the key of --tls-cert (PEM)')
    .option('--tick <seconds>', 'seconds between expiry and idle checks', '60')
    .option('--ssh-listen <host:port>', 'also serve the SSH gateway (stock ssh, scp, sftp, ssh -L into workspaces) on this address')
    .option('--trusted-proxy <address>', 'a reverse proxy in front of the hub whose X-Forwarded-For names the client (repeatable)', collect, [])
    .option('--workspace-host <pattern>', "each workspace on its own origin under this wildcard domain, e.g. '*.ws.example.org' (a wildcard DNS record and certificate for it; default '*.localhost': browsers on this machine only)")
    .option('--public-url <url>', 'the hub\'s own address as browsers reach it, e.g. https://hub.example.org:8585 (workspace pages send browsers there to sign in)')
    .option('--workspace-paths', 'UNSAFE: serve every workspace under the hub\'s own origin (/user/<user>/<workspace>/): a workspace\'s pages can then act with its visitor\'s hub session in a browser; see README, Security model')
    .action(async (o: ServeFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (o.engine !== 'docker' && o.engine !== 'swarm' && o.engine !== 'kubernetes' && o.engine !== 'fake') throw new ValidationError('engine', `"${o.engine}" is not an engine this hub can serve (docker, swarm, kubernetes, or fake for demos and UI tests)`);
      const kube = kubeFlags(o);
      const kind = o.engine;
      const origin = g.origin ?? (io.env.HUBDECK_ORIGIN || undefined);
      const rule = origin === undefined ? null : checkOrigin(origin);
      if (rule) throw new ValidationError('origin', rule);
      const { host, port } = parseListen(o.listen);
      if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) throw new ValidationError('tls-cert', '--tls-cert and --tls-key go together');
      const tls: TlsChoice = o.tlsCert ? { mode: 'files', certPath: o.tlsCert, keyPath: o.tlsKey! } : o.tls ? { mode: 'self-signed' } : { mode: 'none' };
      const tick = Number(o.tick);
      if (!(tick > 0)) throw new ValidationError('tick', `"${o.tick}" is not a number of seconds`);
      // --data (a global option) names the hub's directory: users, tokens, settings, TLS key.
      const dataDir = g.data ? path.resolve(g.data) : path.join(localDataDir(g, io.env), 'server');
      const [{ createEngine }, { startHeadlessHub }] = await Promise.all([import('../engine/create-engine'), import('../server/serve')]);
      const swarm = {
        placement: { constraints: o.swarmConstraint, preferences: o.swarmPreference, imageConstraints: o.swarmImageConstraint, imagePreferences: o.swarmImagePreference },
        nodeHosts: o.swarmNode,
      };
      const engine = (id: string) => kind === 'fake' ? createEngine({ kind, origin: id })
        : kind === 'swarm' ? createEngine({ kind, origin: id, host: g.dockerHost, env: io.env, ...swarm })
          : kind === 'kubernetes' ? createEngine({ kind, origin: id, env: io.env, ...kube })
          : createEngine({ kind, origin: id, host: g.dockerHost, env: io.env });
      const bad = o.trustedProxy.find((a) => !isIP(a));
      if (bad !== undefined) throw new ValidationError('trusted-proxy', `"${bad}" is not an IP address`);
      const sshListen = o.sshListen === undefined ? undefined : parseListen(o.sshListen);
      const teamSignIn = await teamSignInFrom(o, host === '0.0.0.0' || host === '::');
      const web = { workspaceHost: o.workspaceHost, publicUrl: o.publicUrl, workspacePaths: o.workspacePaths };
      const running = await startHeadlessHub({ teamSignIn, engine, origin, dataDir, host, port, tls, tickSeconds: tick, trustedProxies: o.trustedProxy, sshListen, staticDir: builtUiDir() ?? undefined, log: (m) => io.err(m), web });
      io.out(`hubdeck hub ${running.hub.id} listening on ${running.url} (data ${dataDir}, engine ${running.engineDescription})`);
      io.out(describeWebAccess(running.hub.web, host));
      if (running.tls) io.out(`TLS certificate SHA-256 fingerprint: ${running.tls.fingerprint}`);
      if (teamSignIn) io.out((await import('../server/auth/team-sign-in')).describeSignIn(teamSignIn));
      if (running.sshAddress) io.out(`SSH gateway on ${running.sshAddress}, host key ${(await running.hub.hostKey()).fingerprint}`);
      if (running.adminToken) io.out(`admin token: ${running.adminToken.token}`);
      const r = running.reconcile;
      io.out(`reconciled: ${r.workspaces} workspace(s), ${r.orphaned.length} orphaned${r.orphaned.length ? ` (${r.orphaned.map((x) => `${x.user}/${x.name}`).join(', ')})` : ''}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          io.err(`${signal}: shutting down`);
          void running.stop().then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });

  hub.command('info').description('who and where you are').action((_o, cmd: Command) =>
    withSession(io, cmd, async ({ client }, g) => {
      const info = await client.info();
      if (g.json) printJson(io, info);
      else for (const line of hubInfoLines(info)) io.out(line);
    }));
  return hub;
}

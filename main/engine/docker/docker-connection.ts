/**
 * Where the Docker engine is, resolved the way the docker CLI does it: an explicit host, then
 * DOCKER_HOST (+ DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, by default $DOCKER_CONFIG), then DOCKER_CONTEXT or the current context
 * of ~/.docker/config.json, then the local socket. Pure but for the injected file reader.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ValidationError } from '../../core/errors';

export type DockerConnection =
  | { kind: 'unix'; socketPath: string; description: string }
  | { kind: 'npipe'; socketPath: string; description: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsFiles | null; verify: boolean; description: string }
  | { kind: 'ssh'; host: string; port: number; username: string; description: string };

export interface TlsFiles {
  ca: Buffer | null;
  cert: Buffer | null;
  key: Buffer | null;
}

export interface ConnectionInputs {
  /** --docker-host, or the hub's configured engine host. */
  host?: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  platform: NodeJS.Platform;
  /** Returns the file's bytes, or null when it does not exist. */
  readFile: (p: string) => Buffer | null;
  /** The OS user, for ssh:// URLs without one. */
  osUser: string;
}

export function resolveDockerConnection(i: ConnectionInputs): DockerConnection {
  if (i.host) return fromHostUrl(i.host, i, 'docker host');
  if (i.env.DOCKER_HOST) return fromHostUrl(i.env.DOCKER_HOST, i, 'DOCKER_HOST');
  const context = i.env.DOCKER_CONTEXT ?? currentContext(i);
  if (context && context !== 'default') return fromContext(context, i);
  return defaultSocket(i.platform);
}

function defaultSocket(platform: NodeJS.Platform): DockerConnection {
  return platform === 'win32'
    ? { kind: 'npipe', socketPath: '//./pipe/docker_engine', description: 'local engine (npipe)' }
    : { kind: 'unix', socketPath: '/var/run/docker.sock', description: 'local engine (/var/run/docker.sock)' };
}

function fromHostUrl(raw: string, i: ConnectionInputs, source: string, contextTls?: TlsFiles | null, skipVerify = false): DockerConnection {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(source, `"${raw}" is not a Docker host (use unix:///path, tcp://host:2376 or ssh://user@host)`);
  }
  switch (url.protocol) {
    case 'unix:':
      return { kind: 'unix', socketPath: url.pathname, description: `local engine (${url.pathname})` };
    case 'npipe:':
      return { kind: 'npipe', socketPath: raw.replace(/^npipe:\/\//, '').replaceAll('/', '\\'), description: `local engine (${raw})` };
    case 'tcp:':
    case 'http:':
    case 'https:':
      return tcpConnection(url, i, contextTls, skipVerify);
    case 'ssh:':
      return {
        kind: 'ssh',
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
        username: decodeURIComponent(url.username) || i.osUser,
        description: `ssh://${decodeURIComponent(url.username) || i.osUser}@${url.host}`,
      };
    default:
      throw new ValidationError(source, `"${raw}" has an unsupported scheme ${url.protocol} (use unix, tcp or ssh)`);
  }
}

function tcpConnection(url: URL, i: ConnectionInputs, contextTls: TlsFiles | null | undefined, skipVerify: boolean): DockerConnection {
  const verifyEnv = Boolean(i.env.DOCKER_TLS_VERIFY);
  const useTls = contextTls !== undefined ? contextTls !== null : verifyEnv || Boolean(i.env.DOCKER_TLS) || url.protocol === 'https:';
  let tls: TlsFiles | null = null;
  if (useTls) {
    tls = contextTls ?? readTls(i.env.DOCKER_CERT_PATH || configDir(i), i);
    if (verifyEnv && !tls.ca) throw new ValidationError('DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY is set but ca.pem was not found');
  }
  const port = url.port ? Number(url.port) : useTls ? 2376 : 2375;
  return {
    kind: 'tcp',
    host: url.hostname,
    port,
    tls,
    verify: useTls && !skipVerify && (contextTls !== undefined || verifyEnv),
    description: `${useTls ? 'tls' : 'tcp'}://${url.hostname}:${port}`,
  };
}

function readTls(dir: string, i: ConnectionInputs): TlsFiles {
  return {
    ca: i.readFile(path.join(dir, 'ca.pem')),
    cert: i.readFile(path.join(dir, 'cert.pem')),
    key: i.readFile(path.join(dir, 'key.pem')),
  };
}

/** The docker CLI's configuration directory, also its default DOCKER_CERT_PATH. */
function configDir(i: ConnectionInputs): string {
  return i.env.DOCKER_CONFIG || path.join(i.homeDir, '.docker');
}

function currentContext(i: ConnectionInputs): string | undefined {
  const dir = configDir(i);
  const raw = i.readFile(path.join(dir, 'config.json'));
  if (!raw) return undefined;
  try {
    const ctx = (JSON.parse(raw.toString('utf8')) as { currentContext?: unknown }).currentContext;
    return typeof ctx === 'string' ? ctx : undefined;
  } catch {
    throw new ValidationError('docker config', `${path.join(dir, 'config.json')} is not valid JSON`);
  }
}

/** Docker stores a context under the SHA-256 of its name: meta/<id>/meta.json and tls/<id>/docker/. */
function fromContext(name: string, i: ConnectionInputs): DockerConnection {
  const dir = configDir(i);
  const id = createHash('sha256').update(name).digest('hex');
  const meta = i.readFile(path.join(dir, 'contexts', 'meta', id, 'meta.json'));
  if (!meta) throw new ValidationError('docker context', `context "${name}" does not exist (docker context ls)`);
  const endpoint = (JSON.parse(meta.toString('utf8')) as { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } })
    .Endpoints?.docker;
  if (!endpoint?.Host) throw new ValidationError('docker context', `context "${name}" has no Docker endpoint`);
  const tls = readTls(path.join(dir, 'contexts', 'tls', id, 'docker'), i);
  const hasTls = tls.ca !== null || tls.cert !== null;
  const conn = fromHostUrl(endpoint.Host, i, `docker context ${name}`, hasTls ? tls : null, endpoint.SkipTLSVerify === true);
  return { ...conn, description: `${conn.description} (context ${name})` };
}

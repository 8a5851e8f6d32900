/**
 * Opens dockerode for a resolved connection: unix socket / named pipe, tcp with TLS, or ssh (docker
 * system dial-stdio over ssh2, with known_hosts verification). For ssh it also keeps one ssh2
 * connection for port forwards to workspaces (connect()).
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import Docker from 'dockerode';
import { Client } from 'ssh2';
import { resolveDockerConnection, type DockerConnection } from './docker-connection';
import { sshAuth, type SshAuth, type SshAuthOptions } from '../ssh/ssh-auth';

export interface DockerClientOptions {
  /** unix:///…, tcp://host:port, ssh://user@host[:port]; default from the environment. */
  host?: string;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  ssh?: SshAuthOptions;
}

export interface DockerClient {
  docker: Docker;
  connection: DockerConnection;
  sshRefusal(): string | null;
  /** One shared ssh2 connection for port forwarding (ssh engines only). */
  sshTunnel(): Promise<Client>;
  close(): void;
}

function readOrNull(p: string): Buffer | null {
  try {
    return fs.readFileSync(p);
  } catch {
    return null;
  }
}

export function openDockerClient(opts: DockerClientOptions = {}): DockerClient {
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? os.homedir();
  const connection = resolveDockerConnection({
    host: opts.host, env, homeDir, platform: process.platform, readFile: readOrNull, osUser: safeOsUser(),
  });
  let auth: SshAuth | null = null;
  let docker: Docker;
  switch (connection.kind) {
    case 'unix':
    case 'npipe':
      docker = new Docker({ socketPath: connection.socketPath });
      break;
    case 'tcp': {
      const tls = connection.tls;
      const agent = tls
        ? new https.Agent({ ca: tls.ca ?? undefined, cert: tls.cert ?? undefined, key: tls.key ?? undefined, rejectUnauthorized: connection.verify, keepAlive: true })
        : undefined;
      docker = new Docker({ host: connection.host, port: connection.port, protocol: tls ? 'https' : 'http', agent } as Docker.DockerOptions);
      break;
    }
    case 'ssh':
      auth = sshAuth(connection, { ...opts.ssh, env, homeDir });
      docker = new Docker({
        protocol: 'ssh', host: connection.host, port: connection.port, username: connection.username, sshOptions: auth.config,
      } as Docker.DockerOptions);
      break;
  }
  let tunnel: Promise<Client> | null = null;
  const sshTunnel = (): Promise<Client> => {
    if (!auth) return Promise.reject(new Error('not an ssh engine'));
    const a = auth;
    tunnel ??= new Promise<Client>((resolve, reject) => {
      const c = new Client();
      c.once('ready', () => resolve(c));
      c.once('error', (e) => { tunnel = null; reject(a.refusal() ? new Error(a.refusal()!) : e); });
      c.once('close', () => { tunnel = null; });
      c.connect(a.config);
    });
    return tunnel;
  };
  return {
    docker,
    connection,
    sshRefusal: () => auth?.refusal() ?? null,
    sshTunnel,
    close: () => { void tunnel?.then((c) => c.end(), () => undefined); tunnel = null; },
  };
}

function safeOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

/**
 * The hub's SSH gateway (ssh2 Server): stock OpenSSH clients reach workspaces with no sshd in the
 * image. One gateway per hub process — on a port (`hub serve --ssh-listen`, the desktop's loopback
 * port) or over any byte stream (`hubdeck ssh-proxy`, a ProxyCommand over stdin/stdout).
 * Connections are accepted here, not by ssh2, so that unauthenticated ones can be counted, refused
 * and timed out before ssh2 has even read a banner (limits: ssh-limits.ts).
 */
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, type ClientInfo, type Connection } from 'ssh2';
import { HUBDECK_VERSION } from '../core/version';
import type { HostKey } from '../hub/host-key';
import type { Hub } from '../hub/hub';
import { SshAdmission } from './ssh-admission';
import { gatewayAlgorithms, withoutSha1HostKeys } from './ssh-algorithms';
import { ChannelCaps } from './ssh-channel-caps';
import { serveSshConnection } from './ssh-connection';
import { ExecTracker } from './ssh-exec-tracker';
import { resolveSshLimits, type SshLimits, type SshLimitsInput } from './ssh-limits';

export interface SshGatewayOptions {
  hub: Hub;
  /** The hub's host keys, from hub.hostKey().keys (the ECDSA one offered only where the settings allow). */
  hostKeys: Pick<HostKey, 'type' | 'privateKey'>[];
  log?: (message: string) => void;
  /** Overrides of the denial-of-service limits; DEFAULT_SSH_LIMITS for what is left out. */
  limits?: SshLimitsInput;
}

export class SshGateway {
  readonly limits: SshLimits;
  /** Without and with the ECDSA host key: each connection goes to the one the settings ask for now. */
  private readonly servers: { plain: Server; withEcdsa: Server };
  private readonly hub: Hub;
  private readonly tcp: net.Server;
  private readonly admission: SshAdmission;
  private readonly execs = new ExecTracker();
  private readonly clients = new Set<Connection>();
  private readonly streams = new Set<Duplex>();
  private readonly log: (message: string) => void;
  private listening = false;
  private closing = false;

  constructor(o: SshGatewayOptions) {
    this.log = o.log ?? (() => undefined);
    this.limits = resolveSshLimits(o.limits);
    this.admission = new SshAdmission(this.limits, this.log);
    const caps = new ChannelCaps(this.limits);
    this.hub = o.hub;
    const onClient = (client: Connection, info: ClientInfo) => {
      withoutSha1HostKeys(client);
      // ssh2 keeps the stream it was given; it is our key to the connection's deadlines.
      const stream = (client as unknown as { _sock?: Duplex })._sock;
      if (!stream || !this.admission.has(stream)) return void client.end();
      client.once('handshake', () => this.admission.handshakeDone(stream));
      client.once('ready', () => this.admission.authenticated(stream));
      this.clients.add(client);
      // Small replies (sftp acknowledgements, keystrokes) go out at once, not after Nagle's wait.
      (client as Connection & { setNoDelay(on: boolean): void }).setNoDelay(true);
      client.on('close', () => this.clients.delete(client));
      const peer = stream instanceof net.Socket && stream.remoteAddress && stream.localAddress
        ? { clientIp: stream.remoteAddress, clientPort: stream.remotePort ?? 0, serverIp: stream.localAddress, serverPort: stream.localPort ?? 0 }
        : null;
      serveSshConnection(o.hub, client, { from: info.ip || 'stdio', peer, log: this.log, execs: this.execs, caps, closing: () => this.closing });
    };
    const server = (withEcdsa: boolean) => {
      const keys = o.hostKeys.filter((k) => withEcdsa || !k.type.startsWith('ecdsa-')).map((k) => k.privateKey);
      const s = new Server({ hostKeys: keys, algorithms: gatewayAlgorithms(withEcdsa), ident: `Hubdeck_${HUBDECK_VERSION}` }, onClient);
      s.on('error', (e: Error) => this.log(`ssh gateway: ${e.message}`));
      return s;
    };
    this.servers = { plain: server(false), withEcdsa: server(true) };
    this.tcp = net.createServer((socket) => this.accept(socket, socket.remoteAddress ?? 'unknown'));
  }

  /** Listens on host:port; resolves with the bound address (port 0 picks one). */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.tcp.once('error', onError);
      // A deep accept queue, so a flood of connections does not drop a person's SYN (retried only after 1 s).
      this.tcp.listen({ port, host, backlog: 4096 }, () => {
        this.tcp.off('error', onError);
        this.tcp.on('error', (e: Error) => this.log(`ssh gateway: ${e.message}`));
        this.listening = true;
        resolve(this.tcp.address() as AddressInfo);
      });
    });
  }

  /** Serves one SSH connection over a byte stream, with the same deadlines; resolves when it ends. */
  serveStream(stream: Duplex): Promise<void> {
    return new Promise((resolve) => {
      stream.once('close', () => resolve());
      this.accept(stream, null);
    });
  }

  /**
   * Stops listening, ends every connection and every process their sessions started or were
   * starting. Waits for those at most limits.closeTimeoutMs (the ones left still end).
   */
  async close(): Promise<void> {
    this.closing = true;
    const stopped = new Promise<void>((resolve) => {
      if (!this.listening) return resolve();
      this.listening = false;
      this.tcp.close(() => resolve());
    });
    this.admission.closeAll();
    for (const c of this.clients) c.end();
    const left = await this.execs.closeAll(this.limits.closeTimeoutMs);
    if (left) this.log(`ssh gateway: ${left} session process(es) still ending after ${this.limits.closeTimeoutMs / 1000} s; not waiting`);
    // Clients that have not hung up after end() go now, so the listener can close.
    for (const s of this.streams) s.destroy();
    await stopped;
  }

  /** A new connection: counted and timed (SshAdmission) or dropped at once, then given to ssh2. */
  private accept(stream: Duplex, address: string | null): void {
    stream.on('error', () => undefined);
    if (this.closing || !this.admission.admit(stream, address)) return void stream.destroy();
    this.streams.add(stream);
    stream.once('close', () => this.streams.delete(stream));
    const s = this.hub.sshSettings().ecdsaHostKey ? this.servers.withEcdsa : this.servers.plain;
    s.injectSocket(stream as net.Socket);
  }
}

/**
 * The hub's SSH gateway (ssh2 Server): stock OpenSSH clients reach workspaces with no sshd in the
 * image. One gateway per hub process — on a port (`hub serve --ssh-listen`, the desktop's loopback
 * port) or over any byte stream (`hubdeck ssh-proxy`, a ProxyCommand over stdin/stdout).
 */
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, type Connection } from 'ssh2';
import { HUBDECK_VERSION } from '../core/version';
import type { ExecSession } from '../engine/engine';
import type { Hub } from '../hub/hub';
import { serveSshConnection } from './ssh-connection';

export interface SshGatewayOptions {
  hub: Hub;
  /** The hub's host key (OpenSSH private key text), from hub.hostKey(). */
  hostKey: string;
  log?: (message: string) => void;
}

export class SshGateway {
  private readonly server: Server;
  private readonly clients = new Set<Connection>();
  private readonly running = new Set<ExecSession>();
  private readonly log: (message: string) => void;
  private listening = false;

  constructor(o: SshGatewayOptions) {
    this.log = o.log ?? (() => undefined);
    this.server = new Server({ hostKeys: [o.hostKey], ident: `Hubdeck_${HUBDECK_VERSION}` }, (client, info) => {
      this.clients.add(client);
      // Small replies (sftp acknowledgements, keystrokes) go out at once, not after Nagle's wait.
      (client as Connection & { setNoDelay(on: boolean): void }).setNoDelay(true);
      client.on('close', () => this.clients.delete(client));
      serveSshConnection(o.hub, client, { from: info.ip || 'stdio', log: this.log, running: this.running });
    });
    this.server.on('error', (e: Error) => this.log(`ssh gateway: ${e.message}`));
  }

  /** Listens on host:port; resolves with the bound address (port 0 picks one). */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.listening = true;
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Serves one SSH connection over a byte stream; resolves when it ends. */
  serveStream(stream: Duplex): Promise<void> {
    return new Promise((resolve) => {
      stream.once('close', () => resolve());
      this.server.injectSocket(stream as never);
    });
  }

  /** Stops listening, ends every connection, and waits until their sessions' processes are gone. */
  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    await Promise.all([...this.running].map((e) => e.close().catch(() => undefined)));
    await new Promise<void>((resolve) => {
      if (!this.listening) return resolve();
      this.listening = false;
      this.server.close(() => resolve());
    });
  }
}

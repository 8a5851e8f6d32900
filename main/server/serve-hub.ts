/**
 * Serving an open hub: its HTTP(S) server (API, workspace proxy, sign-in pages, the web UI) and,
 * when asked, its SSH gateway, with the gateway's address announced by the hub. The one setup
 * behind `hub serve` (serve.ts), the local hub's loopback doors (local-access.ts) and "Share this
 * hub" (shell/lan-share.ts); each differs only in the options it passes.
 */
import type { AddressInfo } from 'node:net';
import { SshGateway } from '../access/ssh-gateway';
import type { Hub } from '../hub/hub';
import { createHubServer, type HubServer, type HubServerOptions } from './hub-server';

export interface ServeHubOptions extends Omit<HubServerOptions, 'hub'> {
  host: string;
  port: number;
  /**
   * The SSH gateway: on `host` (default the server's), at `port` (default the HTTP port + 1);
   * null or absent: none (`hubdeck ssh-proxy` is then the way in).
   */
  ssh?: { host?: string; port?: number } | null;
  /**
   * The host name put in the URL and the announced SSH address (a LAN address the listener's
   * 0.0.0.0 does not say); default: the address bound.
   */
  advertise?: string;
}

export interface ServedHub<SshAddress extends string | null = string | null> {
  server: HubServer;
  /** http(s)://host:port of the server. */
  url: string;
  /** "host:port" of the SSH gateway, when it runs (a string whenever the options ask for one). */
  sshAddress: SshAddress;
  /** Closes the gateway and the server; the hub stays open (its opener closes it). */
  stop(): Promise<void>;
}

/** A bound address as a URL host: IPv6 in brackets. Pure. */
export const hostOf = (a: Pick<AddressInfo, 'address' | 'family'>): string => (a.family === 'IPv6' ? `[${a.address}]` : a.address);

type SshAddressOf<O extends ServeHubOptions> = O['ssh'] extends object ? string : string | null;

/** Starts the server, then the gateway; if the gateway cannot listen, the server closes again. */
export async function serveHub<O extends ServeHubOptions>(hub: Hub, o: O): Promise<ServedHub<SshAddressOf<O>>> {
  const { host, port, ssh, advertise, ...serverOptions } = o;
  const server = createHubServer({ hub, ...serverOptions });
  const addr = await server.listen(host, port);
  let gateway: SshGateway | null = null;
  let sshAddress: string | null = null;
  if (ssh) {
    try {
      gateway = new SshGateway({ hub, hostKeys: (await hub.hostKey()).keys, log: o.log });
      const at = await gateway.listen(ssh.host ?? host, ssh.port ?? addr.port + 1);
      sshAddress = `${advertise ?? hostOf(at)}:${at.port}`;
    } catch (e) {
      await server.close();
      throw e;
    }
    hub.sshListening(sshAddress);
  }
  return {
    server,
    // Set whenever `ssh` was given: the gateway listened or serveHub threw.
    sshAddress: sshAddress as SshAddressOf<O>,
    url: `${o.tls ? 'https' : 'http'}://${advertise ?? hostOf(addr)}:${addr.port}`,
    stop: async () => {
      await gateway?.close();
      await server.close();
    },
  };
}

/**
 * An https.Agent that trusts exactly one certificate, named by its SHA-256 fingerprint, instead of
 * the CA store: how a client reaches a hub with a self-signed certificate without switching checks
 * off. The socket reaches the request only after the fingerprint matched, so not one request byte
 * (the bearer token above all) is written to a server we have not verified.
 */
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { HubdeckError } from '../core/errors';

/** Upper-case hex without separators, or null when `fp` is not a SHA-256 fingerprint. */
export function normalizeFingerprint(fp: string): string | null {
  const hex = fp.replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex : null;
}

/** As Node's X509Certificate.fingerprint256 prints it (`AB:CD:…`), so messages match what users copy. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{2}/g)?.join(':') ?? hex;
}

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

export class PinnedAgent extends https.Agent {
  private readonly expected: string;
  /** Handshakes not yet handed to the agent, so destroy() can end them too. */
  private readonly pending = new Set<tls.TLSSocket>();

  constructor(fingerprint: string, opts: https.AgentOptions = {}) {
    super(opts);
    const hex = normalizeFingerprint(fingerprint);
    if (!hex) throw new HubdeckError('invalid', `fingerprint: "${fingerprint}" is not a SHA-256 fingerprint (64 hex digits)`, 'fingerprint');
    this.expected = hex;
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
    // The CA check is replaced by the fingerprint check below, not dropped: the socket is
    // withheld from the request until that check passes.
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    this.pending.add(socket);
    const done = (err: Error | null): void => {
      this.pending.delete(socket);
      socket.off('error', onError);
      if (err) socket.destroy();
      callback?.(err, socket);
    };
    const onError = (e: Error): void => done(e);
    socket.once('error', onError);
    socket.once('secureConnect', () => done(this.check(socket)));
    // Returning nothing tells the http.Agent the socket comes later, through the callback.
    return undefined;
  }

  override destroy(): void {
    // With an error, so requests waiting for these sockets fail instead of hanging.
    for (const s of this.pending) s.destroy(new Error('the connection was closed by the client'));
    this.pending.clear();
    super.destroy();
  }

  private check(socket: tls.TLSSocket): HubdeckError | null {
    const seen = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
    if (seen === this.expected) return null;
    const shown = seen ? formatFingerprint(seen) : '(none)';
    return new HubdeckError(
      'unavailable',
      `the hub's TLS certificate has fingerprint ${shown}, expected ${formatFingerprint(this.expected)}; refusing to connect`,
    );
  }
}

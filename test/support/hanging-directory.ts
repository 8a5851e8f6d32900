/**
 * Directories and providers that hang, for sign-in tests: a TCP server that accepts and then says
 * nothing, or one that speaks just enough LDAP to accept StartTLS and then never does the TLS
 * handshake. Real slapd cannot be made to hang on cue; these count what reached them.
 */
import net from 'node:net';

export interface HangingServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open now. */
  open(): number;
  close(): Promise<void>;
}

/** The messageID and operation tag of each complete LDAPMessage (BER SEQUENCE) in `buf`. */
function ldapMessages(buf: Buffer): { id: number; tag: number }[] {
  const out: { id: number; tag: number }[] = [];
  let i = 0;
  while (i + 2 <= buf.length && buf[i] === 0x30) {
    let len = buf[i + 1]!;
    let at = i + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = buf.subarray(at, at + n).reduce((v, b) => v * 256 + b, 0);
      at += n;
    }
    if (at + len > buf.length) break;
    const idLen = buf[at + 1]!;
    const id = buf.subarray(at + 2, at + 2 + idLen).reduce((v, b) => v * 256 + b, 0);
    out.push({ id, tag: buf[at + 2 + idLen]! });
    i = at + len;
  }
  return out;
}

/** An ExtendedResponse (APPLICATION 24) with resultCode success: "go ahead with StartTLS". */
function startTlsOk(id: number): Buffer {
  return Buffer.from([0x30, 0x0c, 0x02, 0x01, id, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
}

/**
 * `silent`: accepts and never answers (a directory stuck behind a full disk or a firewall that
 * passes SYNs). `starttls`: answers the StartTLS request with success, then never speaks TLS.
 */
export async function startHangingServer(mode: 'silent' | 'starttls', scheme = 'ldap'): Promise<HangingServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s)).on('error', () => undefined);
    let answered = false;
    s.on('data', (d: Buffer) => {
      if (mode !== 'starttls' || answered) return;
      const start = ldapMessages(d).find((m) => m.tag === 0x77);
      if (start) {
        answered = true;
        s.write(startTlsOk(start.id));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`, port,
    connections: () => accepted,
    open: () => sockets.size,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

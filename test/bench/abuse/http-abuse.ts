/**
 * HTTP abuse as an attacker does it, for the regression tests and `npm run bench:abuse`: slow
 * anonymous clients that each hold a connection (a sign-in POST that announces 8000 bytes and
 * dribbles one byte every few seconds, re-connecting whenever the hub closes it), and an admin
 * timing `GET /api/v1/info` meanwhile. Loopback only, and bounded in count and time, so it can
 * never be aimed at someone else's server or outlive the run.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

export interface SlowClientOptions {
  /** Between the bytes each client dribbles (default 4000 ms, what the observed attacker used). */
  byteEveryMs?: number;
  /** Every client stops after this, whatever happens (default 60 s). */
  durationMs?: number;
  /** Wait before re-connecting a client the hub closed (default 250 ms): churn stays bounded. */
  reconnectMs?: number;
  /**
   * How many source addresses the clients are spread over, round robin: 127.0.0.2, 127.0.0.3, …
   * (default 1). Not 127.0.0.1, the admin's in timeRequests: the hub caps unauthenticated
   * connections per address, and an attacker on the admin's own address is the admin to it.
   * Only for IPv4 loopback targets; an IPv6 (::1) target has one source address.
   */
  sourceAddresses?: number;
  /** The body size announced in Content-Length (default 8000). */
  contentLength?: number;
}

export interface SlowClients {
  /** Clients whose connection is open now. */
  open(): number;
  /** Connections the hub has closed so far (cut off, refused, evicted). */
  closedByServer(): number;
  /** Stops every client and waits until their sockets are closed. */
  close(): Promise<void>;
}

export const MAX_SLOW_CLIENTS = 5000;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

/** Refuses anything but a loopback target: these tools attack. */
function loopbackTarget(url: string): { host: string; port: number; secure: boolean } {
  const u = new URL(url);
  if (!LOOPBACK.test(u.hostname)) throw new Error(`abuse tools only run against loopback addresses, not ${u.hostname}`);
  const secure = u.protocol === 'https:';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (secure ? 443 : 80)), secure };
}

/**
 * Opens `n` slow clients; resolves once each has connected (or been refused) at least once, so
 * the caller knows the first wave reached the hub.
 */
export async function openSlowClients(url: string, n: number, opts: SlowClientOptions = {}): Promise<SlowClients> {
  if (!(n >= 1 && n <= MAX_SLOW_CLIENTS)) throw new Error(`between 1 and ${MAX_SLOW_CLIENTS} slow clients, not ${n}`);
  const t = loopbackTarget(url);
  const every = opts.byteEveryMs ?? 4000;
  const spread = Math.min(250, Math.max(1, opts.sourceAddresses ?? 1));
  const source = (i: number) => (t.host.includes(':') ? undefined : `127.0.0.${2 + (i % spread)}`);
  const until = Date.now() + (opts.durationMs ?? 60_000);
  const head = `POST /hub/login HTTP/1.1\r\nHost: ${t.host}:${t.port}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${opts.contentLength ?? 8000}\r\n\r\n`;
  const sockets = new Set<net.Socket>();
  let open = 0;
  let closedByServer = 0;
  let stopped = false;
  const stopTimer = setTimeout(() => void stop(), Math.max(0, until - Date.now()));
  stopTimer.unref();

  function connect(i: number, first?: () => void): void {
    if (stopped || Date.now() >= until) return first?.();
    const base = { host: t.host, port: t.port, localAddress: source(i) };
    const sock = t.secure ? tls.connect({ ...base, rejectUnauthorized: false }) : net.connect(base);
    sockets.add(sock);
    let connected = false;
    let drip: NodeJS.Timeout | undefined;
    sock.once(t.secure ? 'secureConnect' : 'connect', () => {
      connected = true;
      open++;
      sock.write(head);
      drip = setInterval(() => sock.write('a'), every);
      first?.();
      first = undefined;
    });
    sock.on('data', () => undefined);
    sock.on('error', () => undefined);
    sock.once('close', () => {
      clearInterval(drip);
      sockets.delete(sock);
      if (connected) open--;
      if (!stopped) closedByServer++;
      first?.();
      if (!stopped) setTimeout(() => connect(i), opts.reconnectMs ?? 250).unref();
    });
  }

  async function stop(): Promise<void> {
    stopped = true;
    clearTimeout(stopTimer);
    const closing = [...sockets].map((s) => new Promise<void>((r) => (s.destroyed ? r() : (s.once('close', () => r()), s.destroy()))));
    await Promise.all(closing);
  }

  await Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((r) => connect(i, r))));
  return { open: () => open, closedByServer: () => closedByServer, close: stop };
}

/**
 * Latencies (ms) of `n` sequential `GET /api/v1/info` with `token`, each on a new connection (the
 * hard case: a new connection must get in past the slow ones); throws on any failure.
 */
export async function timeRequests(url: string, token: string, n: number, timeoutMs = 10_000): Promise<number[]> {
  const t = loopbackTarget(url);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const get = t.secure ? https.get : http.get;
      const req = get({ host: t.host, port: t.port, path: '/api/v1/info', agent: false, rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
    }).catch((e: Error) => {
      throw new Error(`GET /api/v1/info #${i + 1} failed: ${e.message}`);
    });
    if (status !== 200) throw new Error(`GET /api/v1/info #${i + 1} answered ${status}`);
    times.push(performance.now() - start);
  }
  return times;
}

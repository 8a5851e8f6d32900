/**
 * An http.Agent whose connections are byte streams from the engine (a socket to the container, an
 * ssh channel, an exec relay): http-proxy-3 speaks HTTP/1.1 over them with keep-alive reuse and
 * WebSocket upgrades, and no HTTP is parsed by hand. One agent per workspace port.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';

/** The socket methods the agent calls on its connections, as no-ops where a stream lacks them. */
function socketLike(s: Duplex): Duplex {
  const t = s as Duplex & Record<string, unknown>;
  for (const m of ['setKeepAlive', 'setNoDelay', 'ref', 'unref']) if (typeof t[m] !== 'function') t[m] = () => t;
  if (typeof t.setTimeout !== 'function') t.setTimeout = () => t;
  return t;
}

export class WorkspaceAgent extends http.Agent {
  constructor(private readonly open: () => Promise<Duplex>) {
    super({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: 120_000 });
  }

  // Node's agent accepts a socket through the callback when it is made asynchronously.
  override createConnection: http.Agent['createConnection'] = (_options, callback) => {
    const cb = callback as unknown as (err: Error | null, socket?: Duplex) => void;
    this.open().then((s) => cb(null, socketLike(s)), (e: Error) => cb(e));
    return undefined as unknown as ReturnType<http.Agent['createConnection']>;
  };
}

/**
 * The web app a running fake workspace serves: a real HTTP server on a loopback port, so the proxy,
 * readiness probes and activity probes talk HTTP over real sockets exactly as with a container.
 * It answers like a Jupyter server started with the hub's base URL: pages under the base URL, and
 * `api/status` / `api/kernels` behind the token check (header `Authorization: token <t>` or
 * `Bearer`, or `?token=`). Each request is logged with its query, as the busybox test image's httpd -v
 * does, WebSocket upgrades included: what the workspace was sent can be read back.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { LABELS } from '../../core/labels';
import { workspaceBaseUrl } from '../../core/names';
import type { FakeContainer, LogLine } from './fake-objects';
import { serveWebSocketEcho } from './fake-websocket';

/**
 * What the app needs of its world (FakeWorld is one): the clock for activity and the container's
 * log. Named here so the world, which starts apps, and the app do not import each other.
 */
export interface WebAppHost {
  now(): string;
  log(c: FakeContainer, text: string, stream?: LogLine['stream']): void;
}

export class FakeWebApp {
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly ready: Promise<void>;
  private readonly baseUrl: string;
  port = 0;

  constructor(private readonly world: WebAppHost, private readonly c: FakeContainer) {
    this.baseUrl = workspaceBaseUrl(c.labels[LABELS.user] ?? '', c.labels[LABELS.workspace] ?? '');
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      if (this.under(req.url ?? '/')) {
        this.world.log(this.c, `GET ${req.url ?? '/'} 101`, 'stderr');
        this.touch();
        serveWebSocketEcho(req, socket, head);
      } else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    this.ready = new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  listening(): Promise<void> {
    return this.ready;
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private under(url: string): boolean {
    return new URL(url, 'http://x').pathname.startsWith(this.baseUrl);
  }

  private touch(): void {
    this.c.app.lastActivity = this.world.now();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      this.world.log(this.c, `${req.method} ${url.pathname}${url.search} ${status}`, 'stderr');
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => reply(status, 'application/json', JSON.stringify(body));
    if (`${url.pathname}/` === this.baseUrl) return reply(302, 'text/plain', '', { location: this.baseUrl });
    if (!url.pathname.startsWith(this.baseUrl)) return reply(404, 'text/html', '<!doctype html><title>404</title><p>Not Found</p>');
    const rest = url.pathname.slice(this.baseUrl.length);
    if (rest !== 'api' && !rest.startsWith('api/')) {
      this.touch();
      const page = `<!doctype html><title>hubdeck fake workspace</title><p>hubdeck fake workspace ${this.c.labels[LABELS.user]}/${this.c.labels[LABELS.workspace]}</p>`;
      return reply(200, 'text/html', page);
    }
    if (!this.authorized(req, url)) return json(403, { message: 'Forbidden', reason: null });
    if (rest === 'api' || rest === 'api/') return json(200, { version: '2.0.0-hubdeck-fake' });
    if (rest === 'api/status') {
      return json(200, { started: this.c.startedAt, last_activity: this.c.app.lastActivity, connections: 0, kernels: this.c.app.kernels.length });
    }
    if (rest === 'api/kernels') return json(200, this.c.app.kernels);
    this.touch();
    return json(404, { message: 'Not Found', reason: null });
  }

  private authorized(req: http.IncomingMessage, url: URL): boolean {
    const token = this.c.token;
    if (!token) return true;
    const m = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return m?.[1] === token || url.searchParams.get('token') === token;
  }
}

/**
 * Getting into a workspace — a byte stream to one of its ports (the proxy, `ssh -L`) or a process
 * in it (SSH sessions, the terminal) — on behalf of an actor. Only the owner may, and admins only
 * where the hub allows admin access; every use counts as activity for the idle culler, and an
 * open session holds culling off until it ends. The access layer reaches workspaces only here,
 * never through the engine, so it works the same on every engine.
 */
import type { Duplex } from 'node:stream';
import { HubdeckError } from '../core/errors';
import type { ConnectOptions, ExecOptions, ExecSession, Workspace, WorkspaceRef } from '../engine/engine';
import type { Actor } from './actor';
import { settingsOf, type HubContext } from './hub-context';
import type { Maintenance } from './maintenance';
import type { UserService } from './user-service';
import { AccessHolds } from './access-holds';

export class WorkspaceAccess {
  /** Open connections into workspaces, ended when their right goes (see access-holds.ts). */
  readonly holds: AccessHolds;

  constructor(
    private readonly ctx: HubContext,
    private readonly users: UserService,
    private readonly maintenance: Maintenance,
  ) {
    this.holds = new AccessHolds(ctx.bus);
  }

  /**
   * Keeps an open connection (a proxied WebSocket, a port stream, an SSH connection) only while
   * `reauth` stands for someone allowed into `ref`; returns the function to call when it closes.
   */
  hold(h: { reauth: () => Actor | null; ref: WorkspaceRef; end: () => void }): () => void {
    return this.holds.add({ reauth: h.reauth, end: h.end, allows: (actor) => (this.authorize(actor, h.ref), true) });
  }

  /** A place for one more open connection of `actor`'s (over quota past the per-user limit); see AccessHolds.reserve. */
  reserve(actor: Actor): () => void {
    return this.holds.reserve(actor.user);
  }

  /** The rule of docs/architecture.md "Access": the owner; an admin only with the hub's admin-access setting. */
  authorize(actor: Actor, ref: WorkspaceRef): void {
    if (actor.user === ref.user) {
      if (this.users.find(ref.user)?.blocked) throw new HubdeckError('forbidden', `${ref.user} is blocked`);
      return;
    }
    if (actor.admin && settingsOf(this.ctx).adminAccess) return;
    if (actor.admin) throw new HubdeckError('forbidden', `admin access to users' workspaces is off on this hub (setting adminAccess); ${actor.user} may not open the workspaces of ${ref.user}`);
    throw new HubdeckError('forbidden', `${actor.user} may not open the workspaces of ${ref.user}`);
  }

  /** `opts.to`: the workspace's address (the default, the proxy's) or its loopback (forwards). */
  async connect(actor: Actor, ref: WorkspaceRef, port: number, opts?: ConnectOptions): Promise<Duplex> {
    this.authorize(actor, ref);
    const stream = await this.ctx.engine.connect(ref, port, opts);
    this.maintenance.recordActivity(ref);
    // Traffic either way is activity, however long the connection stays open.
    stream.on('data', () => this.maintenance.recordActivity(ref));
    return stream;
  }

  async exec(actor: Actor, ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    this.authorize(actor, ref);
    const session = await this.ctx.engine.exec(ref, opts);
    const done = this.maintenance.sessionOpened(ref);
    let ended = false;
    const end = () => { if (!ended) { ended = true; done(); } };
    session.exitCode().then(end, end);
    return {
      stdin: session.stdin, stdout: session.stdout, stderr: session.stderr,
      resize: (cols, rows) => session.resize(cols, rows),
      exitCode: () => session.exitCode(),
      close: async () => { await session.close(); end(); },
      signal: session.signal ? (name) => session.signal!(name) : undefined,
    };
  }

  /**
   * Where the proxy should go for this actor: the running workspace, its web port and the web
   * app's secret. A workspace that is missing or not running is a clear refusal saying what to do.
   */
  async target(actor: Actor, ref: WorkspaceRef): Promise<{ workspace: Workspace; port: number; webToken: string | null }> {
    const w = await this.running(actor, ref, 'and reload this page');
    return { workspace: w, port: w.spec?.webPort ?? 8888, webToken: await this.ctx.engine.webToken(ref) };
  }

  /**
   * The workspace, if this actor may get into it and it runs; otherwise a refusal that says what
   * to do (`then` ends the advice: "and reload this page", "and connect again").
   */
  async running(actor: Actor, ref: WorkspaceRef, then = 'and try again'): Promise<Workspace> {
    this.authorize(actor, ref);
    const w = await this.ctx.engine.get(ref);
    if (!w) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist (hubdeck workspace list shows yours)`);
    if (w.state !== 'running') {
      throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} is ${w.state}; start it (hubdeck workspace start ${ref.name}) ${then}`);
    }
    return w;
  }

  /** The web app's own secret, for the proxy to present on the user's behalf. */
  async webToken(actor: Actor, ref: WorkspaceRef): Promise<string | null> {
    this.authorize(actor, ref);
    return this.ctx.engine.webToken(ref);
  }
}

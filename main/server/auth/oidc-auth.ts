/**
 * Sign-in with an OpenID Connect provider (openid-client): authorization code with PKCE, the
 * provider found by discovery, state and nonce checked. Each login in progress lives in a
 * short-lived cookie of the browser that started it (sealed: see sealed-value.ts), so a callback
 * URL handed to someone else does not sign them in (login CSRF), and the hub keeps no table of
 * logins that strangers could fill.
 */
import fs from 'node:fs';
import * as lib from 'openid-client';
import { checkUserName } from '../../core/names';
import { DirectoryUnavailable, SignInRefused, type DirectoryIdentity } from './directory-policy';
import { Sealer } from './sealed-value';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecretFile?: string;
  /** Where the provider sends the browser back; by default the hub's own URL + CALLBACK_PATH. */
  redirectUrl?: string;
  scope: string;
  usernameClaim: string;
  groupsClaim: string;
  /** Shown on the button: "Sign in with <name>". */
  name: string;
  /** How long the provider has to answer each request (discovery, token, userinfo); default 10 s. */
  timeoutMs?: number;
}

import { OIDC_CALLBACK_PATH } from './oidc-paths';
const FLOW_TTL_MS = 10 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Sealed logins that were used, kept until they expire so a cookie cannot be played twice. Past
 * this many the oldest are forgotten: that only lets a used-up cookie reach the provider again,
 * where its code is already spent, and never stands in anyone's way.
 */
const MAX_USED = 50_000;

interface Flow { id: string; state: string; nonce: string; verifier: string; next: string; expiresAt: number }

function isFlow(v: unknown): v is Flow {
  const f = v as Partial<Flow> | null;
  return typeof f === 'object' && f !== null && typeof f.id === 'string' && typeof f.state === 'string' && typeof f.nonce === 'string'
    && typeof f.verifier === 'string' && typeof f.next === 'string' && typeof f.expiresAt === 'number';
}

/** Network trouble (refused, DNS, TLS, timeouts) rather than the provider saying no; looks through causes. */
function isOutage(e: unknown, depth = 0): boolean {
  const err = e as { name?: string; message?: string; code?: unknown; cause?: unknown } | null;
  if (!err || depth > 4) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  if (err.name === 'TypeError' && err.message === 'fetch failed') return true;
  if (typeof err.code === 'string' && /^(E[A-Z_]+|UND_ERR_\w+)$/.test(err.code) && !err.code.startsWith('ERR_JWT')) return true;
  return isOutage(err.cause, depth + 1);
}

export class OidcAuthenticator {
  private config: lib.Configuration | null = null;
  /** The discovery under way: everyone who arrives meanwhile waits for it rather than starting another. */
  private discovering: Promise<lib.Configuration> | null = null;
  private readonly flows = new Sealer();
  private readonly used = new Map<string, number>();
  private readonly secret: string | undefined;
  private redirect: string | undefined;

  constructor(private readonly o: OidcOptions) {
    const issuer = new URL(o.issuer);
    if (issuer.protocol !== 'https:' && !isLoopback(issuer.hostname)) throw new Error('--oidc-issuer must be https:// (http:// only on this machine, for testing)');
    this.secret = o.clientSecretFile ? fs.readFileSync(o.clientSecretFile, 'utf8').trim() : undefined;
    this.redirect = o.redirectUrl;
  }

  get name(): string {
    return this.o.name;
  }

  /** For the start-up line: the provider and the callback to register there. */
  get describe(): string {
    return `${new URL(this.o.issuer).origin} (callback ${this.redirect ?? '?'})`;
  }

  /** The hub's public URL is known only once it listens: the default redirect is set then. */
  defaultRedirect(hubUrl: string): void {
    this.redirect ??= new URL(OIDC_CALLBACK_PATH, hubUrl).toString();
  }

  /**
   * Discovery, done on first use and retried until it works: a provider down at start-up is no
   * reason to refuse tokens. One at a time: a crowd at a provider that hangs costs one request.
   */
  private configuration(): Promise<lib.Configuration> {
    if (this.config) return Promise.resolve(this.config);
    this.discovering ??= this.discover().finally(() => { this.discovering = null; });
    return this.discovering;
  }

  private async discover(): Promise<lib.Configuration> {
    const issuer = new URL(this.o.issuer);
    const auth = this.secret ? lib.ClientSecretBasic(this.secret) : lib.None();
    const insecure = issuer.protocol === 'http:' ? { execute: [lib.allowInsecureRequests] } : undefined;
    try {
      this.config = await lib.discovery(issuer, this.o.clientId, undefined, auth, { ...insecure, timeout: (this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000 });
    } catch (e) {
      throw new DirectoryUnavailable(`The identity provider (${issuer.origin}) cannot be reached: ${(e as Error).message}`);
    }
    return this.config;
  }

  /** Starts a login: where to send the browser, and the sealed login for its cookie. */
  async begin(next: string): Promise<{ location: string; flowId: string }> {
    const config = await this.configuration();
    const flow: Flow = { id: lib.randomState(), state: lib.randomState(), nonce: lib.randomNonce(), verifier: lib.randomPKCECodeVerifier(), next, expiresAt: Date.now() + FLOW_TTL_MS };
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: this.redirect!, scope: this.o.scope, state: flow.state, nonce: flow.nonce,
      code_challenge: await lib.calculatePKCECodeChallenge(flow.verifier), code_challenge_method: 'S256',
    });
    return { location: url.href, flowId: this.flows.seal(flow) };
  }

  /** Finishes a login from the callback's query: who signed in, and where they were going. */
  async finish(flowId: string | null, query: URLSearchParams): Promise<{ identity: DirectoryIdentity; next: string }> {
    const opened = flowId ? this.flows.open(flowId) : null;
    const flow = isFlow(opened) && this.useUp(opened) ? opened : null;
    if (!flow || flow.expiresAt <= Date.now()) throw new SignInRefused('This sign-in was not started in this browser or took too long; start again.');
    // Anyone can craft this URL: the provider's words are shown short and on one line.
    if (query.get('error')) throw new SignInRefused(`The identity provider refused the sign-in: ${oneLine(query.get('error_description') ?? query.get('error')!)}`);
    const config = await this.configuration();
    const current = new URL(this.redirect!);
    current.search = query.toString();
    try {
      const tokens = await lib.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      const idClaims = tokens.claims()!;
      // Many providers put groups only in the userinfo answer, not in the ID token.
      const info = await lib.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}));
      return { identity: this.identity({ ...info, ...idClaims }), next: flow.next };
    } catch (e) {
      if (e instanceof SignInRefused) throw e;
      if (isOutage(e)) throw new DirectoryUnavailable(`The identity provider cannot be reached: ${(e as Error).message}`);
      throw new SignInRefused(`The sign-in with ${this.o.name} could not be completed: ${reason(e)}`);
    }
  }

  /** Marks a login used; false when it already was. */
  private useUp(flow: Flow): boolean {
    if (this.used.has(flow.id)) return false;
    // Logins all live as long, so the map's order (insertion) is their expiry order: the expired
    // and, past the cap, the oldest are at the front.
    const now = Date.now();
    for (const [id, expiresAt] of this.used) {
      if (expiresAt > now && this.used.size < MAX_USED) break;
      this.used.delete(id);
    }
    this.used.set(flow.id, flow.expiresAt);
    return true;
  }

  private identity(claims: Record<string, unknown>): DirectoryIdentity {
    const raw = claims[this.o.usernameClaim];
    const username = typeof raw === 'string' ? raw : '';
    const rule = checkUserName(username);
    if (rule) throw new SignInRefused(`The identity provider's ${this.o.usernameClaim} "${username}" cannot be a Hubdeck user name: ${rule}`);
    const g = claims[this.o.groupsClaim];
    const groups = Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : typeof g === 'string' ? [g] : [];
    // The user name claim (preferred_username by default) is a label people may change at many
    // providers; issuer + sub, which never change, decide whose account it is (directory-users.ts).
    return { username, groups, source: 'oidc', subject: `${String(claims.iss)} ${String(claims.sub)}` };
  }
}

/** openid-client's message plus what it wraps ("invalid response encountered" alone says little). */
function reason(e: unknown): string {
  const err = e as Error & { cause?: unknown };
  const cause = err.cause instanceof Error ? err.cause.message : '';
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

function oneLine(text: string): string {
  const flat = [...text].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

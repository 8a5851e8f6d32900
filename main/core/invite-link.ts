/**
 * A hub invite as text a person can paste: `hi1.<payload>.<mac>` (base64url parts, nothing a shell
 * would interpret), also wrapped as a `hubdeck://join?invite=…` link the app opens. It carries the
 * hub's URL, the SHA-256 fingerprint of its certificate (pinned from the first byte, so the code is
 * never sent to anyone else), the invited user, the hub id, the expiry and a one-time code the hub
 * trades for an API token.
 *
 * The MAC is an HMAC of the payload keyed by the code itself: whoever holds the invite can redeem
 * it anyway, so this is not a signature against its holder; it makes any edit or truncation by
 * someone without the code (a longer expiry, another URL or fingerprint, a mangled copy-paste)
 * fail here with a clear message. The hub decides for itself: it keeps only the code's hash, its
 * own expiry, and lets it be used once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HubdeckError } from './errors';

export const INVITE_SCHEME = 'hubdeck:';
const PREFIX = 'hi1';
const MAC_BYTES = 16;
const CODE_RE = /^hdi_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;
/** Default and longest life of an invite. */
export const DEFAULT_INVITE_HOURS = 24;
export const MAX_INVITE_HOURS = 24 * 30;

export interface Invite {
  /** The hub's base URL, e.g. https://192.168.1.20:8585. */
  url: string;
  /** SHA-256 of the hub's certificate as 64 upper-case hex digits; null: the system's CAs decide. */
  fingerprint: string | null;
  /** The one-time code (`hdi_<id>_<secret>`). */
  code: string;
  user: string;
  hubId: string;
  /** RFC 3339, whole seconds. */
  expiresAt: string;
}

/** A new one-time code: the id finds the record, only the hash of the whole code is kept. */
export function newInviteCode(): { id: string; code: string; hash: string } {
  const id = randomBytes(8).toString('hex').slice(0, 10);
  const code = `hdi_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, code, hash: hashInviteCode(code) };
}

export const hashInviteCode = (code: string): string => createHash('sha256').update(code).digest('hex');

/** The id part of a well-formed code, or null. */
export const inviteCodeId = (code: string): string | null => CODE_RE.exec(code)?.[1] ?? null;

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Why `url` cannot be a hub's address in an invite, or null. Plain http only on this machine. */
export function hubUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `"${url}" is not an http(s) URL`;
  if (u.username || u.password || u.search || u.hash) return `"${url}" must not carry credentials, a query or a fragment`;
  if (u.protocol === 'http:' && !LOOPBACK.test(u.hostname)) return `"${url}" is plain http: an invite's code would cross the network in clear text; serve the hub with TLS`;
  return null;
}

// Built on first decode, not when the CLI starts (z.lazy; the same rules).
const payloadSchema = z.lazy(() =>
  z.tuple([
    z.string().refine((u) => hubUrlProblem(u) === null, 'bad hub URL'),
    z.string().regex(/^[0-9A-F]{64}$/).nullable(),
    z.string().regex(CODE_RE),
    z.string().min(1).max(64),
    z.string().min(1).max(128),
    z.number().int().positive(),
  ]),
);

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (code: string, payload: string) => createHmac('sha256', code).update(`${PREFIX}.${payload}`).digest().subarray(0, MAC_BYTES);

export function encodeInvite(i: Invite): string {
  const seconds = Math.floor(Date.parse(i.expiresAt) / 1000);
  const parsed = payloadSchema.safeParse([i.url.replace(/\/+$/, ''), i.fingerprint, i.code, i.user, i.hubId, seconds]);
  if (!parsed.success) throw new HubdeckError('invalid', `invite: cannot encode (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message})`, 'invite');
  const payload = b64(JSON.stringify(parsed.data));
  return `${PREFIX}.${payload}.${b64(mac(i.code, payload))}`;
}

export const inviteLink = (invite: string): string => `hubdeck://join?invite=${invite}`;
export const inviteCommand = (invite: string): string => `hubdeck hub join ${invite}`;

const refuse = (why: string): never => {
  throw new HubdeckError('invalid', `invite: ${why}`, 'invite');
};
const BROKEN = 'this is not a whole Hubdeck invite (it was changed or cut short); copy it again from the message you were sent';

/** The bare invite out of a link or a pasted command line; the text itself otherwise. */
export function inviteText(input: string): string {
  const s = input.trim().replace(/^hubdeck\s+hub\s+join\s+/, '');
  if (!s.toLowerCase().startsWith(INVITE_SCHEME)) return s;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return refuse(BROKEN);
  }
  // hubdeck://join?invite=… (host "join"), or hubdeck:join?invite=… as some launchers pass it.
  const what = (u.host || u.pathname).replace(/^\/+|\/+$/g, '');
  if (what !== 'join') return refuse(`"${u.protocol}//${what}" is not a join link`);
  return u.searchParams.get('invite') ?? refuse('the link has no invite in it');
}

/**
 * Decodes an invite (bare, link or command), refusing anything edited, malformed or expired at
 * `now`. The expiry here is for a clear message before any network; the hub checks it again.
 */
export function decodeInvite(input: string, now: Date = new Date()): Invite {
  const parts = inviteText(input).split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return refuse(BROKEN);
  const [, payload, tag] = parts as [string, string, string];
  let fields: z.infer<typeof payloadSchema>;
  try {
    const r = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!r.success) return refuse(BROKEN);
    fields = r.data;
  } catch {
    return refuse(BROKEN);
  }
  const [url, fingerprint, code, user, hubId, seconds] = fields;
  const want = mac(code, payload);
  const got = Buffer.from(tag, 'base64url');
  // Re-encoding must give the same text: base64url with stray bits or padding is another text.
  if (got.length !== want.length || !timingSafeEqual(got, want) || b64(got) !== tag || b64(Buffer.from(payload, 'base64url')) !== payload) return refuse(BROKEN);
  const expiresAt = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  if (seconds * 1000 <= now.getTime()) return refuse(`this invite to ${url} expired at ${expiresAt}; ask for a new one`);
  return { url, fingerprint, code, user, hubId, expiresAt };
}

/**
 * The managed block Hubdeck keeps in an ssh config file (Coder's config-ssh habit), as pure text
 * surgery: insert, rewrite in place, remove — leaving every other byte exactly as it was.
 *
 * Where it goes matters to OpenSSH: options before the first Host/Match are global, and lines after
 * a Host line belong to it. So the block goes right before the first Host/Match; in a file with none,
 * at the very start, closed by `Match all` so the file's own options stay global. Either way the
 * block is one exact span, so removing it restores the file byte for byte (BOM, CRLF, a missing final
 * newline and all). A file whose markers are broken or repeated is refused, never guessed at.
 */
import { HubdeckError } from '../core/errors';

export const BEGIN_MARKER = '# ------------ BEGIN HUBDECK (managed by `hubdeck ssh-config`; edits here are overwritten) ------------';
export const END_MARKER = '# ------------ END HUBDECK ------------';

export interface SshHostEntry {
  alias: string;
  /** Where the gateway listens; unused with proxyCommand. */
  hostName?: string;
  port?: number;
  /** A command whose stdin/stdout is the SSH connection (`hubdeck ssh-proxy`), one word per item. */
  proxyCommand?: string[];
  user: string;
  identityFile: string;
  knownHostsFile: string;
  /** The name the gateway's key has in knownHostsFile, whatever address or command reaches it. */
  hostKeyAlias?: string;
}

const ALIAS = /^[a-z0-9][a-z0-9.-]{0,200}$/;
const WORD = /^[A-Za-z0-9._@:-]{1,255}$/;

/** A path as one ssh config argument: quoted; refused if it could end the quote or the line. */
function quotedPath(p: string, what: string): string {
  if (!p || /["\\]/.test(p) || [...p].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) throw new HubdeckError('invalid', `${what}: "${p}" cannot be written safely into an ssh config`, what);
  return `"${p}"`;
}

/** The block's lines (without markers) for these hosts; names are checked so nothing can inject lines. */
export function hostLines(entries: SshHostEntry[]): string[] {
  return entries.flatMap((e) => {
    if (!ALIAS.test(e.alias)) throw new HubdeckError('invalid', `alias: "${e.alias}" is not a host alias`, 'alias');
    if (!WORD.test(e.user)) throw new HubdeckError('invalid', `host: "${e.user}" is not a user name for ssh`, 'host');
    if (e.hostKeyAlias !== undefined && !ALIAS.test(e.hostKeyAlias)) throw new HubdeckError('invalid', `alias: "${e.hostKeyAlias}" is not a host key alias`, 'alias');
    return [
      `Host ${e.alias}`,
      ...(e.proxyCommand ? [`  ProxyCommand ${proxyCommandText(e.proxyCommand)}`] : reachLines(e)),
      `  User ${e.user}`,
      `  IdentityFile ${quotedPath(e.identityFile, 'identityFile')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${quotedPath(e.knownHostsFile, 'knownHostsFile')}`,
      ...(e.hostKeyAlias ? [`  HostKeyAlias ${e.hostKeyAlias}`] : []),
      '  StrictHostKeyChecking yes',
    ];
  });
}

function reachLines(e: SshHostEntry): string[] {
  if (e.hostName === undefined || !WORD.test(e.hostName)) throw new HubdeckError('invalid', `host: "${e.user}@${e.hostName}" is not a host and user`, 'host');
  if (e.port === undefined || !Number.isInteger(e.port) || e.port < 1 || e.port > 65535) throw new HubdeckError('invalid', `port: ${e.port} is not a port`, 'port');
  return [`  HostName ${e.hostName}`, `  Port ${e.port}`];
}

/**
 * ssh runs a ProxyCommand with /bin/sh after expanding %-tokens, so each word is single-quoted for
 * the shell and every % doubled; a word that could end its quote or the line is refused.
 */
function proxyCommandText(words: string[]): string {
  if (words.length === 0) throw new HubdeckError('invalid', 'proxyCommand: empty', 'proxyCommand');
  return words.map((w) => {
    if (!w || w.includes("'") || [...w].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) {
      throw new HubdeckError('invalid', `proxyCommand: "${w}" cannot be written safely into an ssh config`, 'proxyCommand');
    }
    return `'${w.replaceAll('%', '%%')}'`;
  }).join(' ');
}

/**
 * The Host entries of the block already in `text`, as the lines hostLines() wrote for each alias
 * (so entries of other hubs can be kept when one hub's are rewritten).
 */
export function blockEntries(text: string): Map<string, string[]> {
  const span = findBlock(text);
  const entries = new Map<string, string[]>();
  if (!span) return entries;
  let current: string[] | null = null;
  for (const line of text.slice(span.start, span.end).split(/\r?\n/)) {
    const host = /^Host (\S+)$/.exec(line);
    if (host) entries.set(host[1]!, (current = [line]));
    else if (current && line.startsWith('  ')) current.push(line);
    else current = null;
  }
  return entries;
}

interface Span {
  start: number;
  end: number;
}

const lineStarts = (text: string): number[] => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1).filter((i) => i < text.length)];
const lineAt = (text: string, start: number) => text.slice(start).split(/\r?\n/, 1)[0]!;

/** The managed span (markers and all, with the end marker's line break), null when absent. */
export function findBlock(text: string): Span | null {
  const begins: number[] = [];
  const ends: number[] = [];
  for (const s of lineStarts(text)) {
    const line = lineAt(text, s).replace(/^\uFEFF/, '');
    if (line.trim() === BEGIN_MARKER) begins.push(s);
    else if (line.trim() === END_MARKER) ends.push(s);
    else if (/HUBDECK/.test(line) && /^\s*#\s*-{4,}/.test(line)) throw broken(`a line looks like a Hubdeck marker but is not one: "${line.trim()}"`);
  }
  if (!begins.length && !ends.length) return null;
  if (begins.length !== 1 || ends.length !== 1) throw broken(`it has ${begins.length} begin and ${ends.length} end markers`);
  if (ends[0]! < begins[0]!) throw broken('its end marker comes before its begin marker');
  const nl = text.indexOf('\n', ends[0]!);
  // A block at the very start sits after the byte-order mark, which is the file's, not ours.
  const start = begins[0] === 0 && text.startsWith('\uFEFF') ? 1 : begins[0]!;
  return { start, end: nl < 0 ? text.length : nl + 1 };
}

function broken(why: string): HubdeckError {
  return new HubdeckError('invalid', `ssh config: the Hubdeck block is damaged (${why}); fix or remove it by hand — the file was not changed`, 'file');
}

/** Where a new block goes: before the first Host/Match line, else at the start (after a BOM). */
function insertionPoint(text: string): { at: number; closeWithMatchAll: boolean } {
  for (const s of lineStarts(text)) {
    if (/^\s*(host|match)\b/i.test(lineAt(text, s).replace(/^\uFEFF/, ''))) return { at: s === 0 && text.startsWith('\uFEFF') ? 1 : s, closeWithMatchAll: false };
  }
  return { at: text.startsWith('\uFEFF') ? 1 : 0, closeWithMatchAll: true };
}

/**
 * The file's new text with the block set to `lines` (null: removed). Writing the same lines twice
 * changes nothing; removing restores the text from before the block was first written.
 */
export function withBlock(text: string, lines: string[] | null): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const span = findBlock(text);
  // A block found in place keeps its position (and how it was closed) when rewritten.
  const closing = span ? text.slice(span.start, span.end).split(/\r?\n/).includes('Match all') : insertionPoint(text).closeWithMatchAll;
  const body = lines === null ? '' : [BEGIN_MARKER, ...lines, ...(closing ? ['Match all'] : []), END_MARKER].map((l) => `${l}${eol}`).join('');
  if (span) return text.slice(0, span.start) + body + text.slice(span.end);
  if (lines === null) return text;
  const { at } = insertionPoint(text);
  return text.slice(0, at) + body + text.slice(at);
}

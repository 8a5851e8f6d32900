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
  hostName: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
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
  const lines: string[] = [];
  for (const e of entries) {
    if (!ALIAS.test(e.alias)) throw new HubdeckError('invalid', `alias: "${e.alias}" is not a host alias`, 'alias');
    if (!WORD.test(e.hostName) || !WORD.test(e.user)) throw new HubdeckError('invalid', `host: "${e.user}@${e.hostName}" is not a host and user`, 'host');
    if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) throw new HubdeckError('invalid', `port: ${e.port} is not a port`, 'port');
    lines.push(
      `Host ${e.alias}`,
      `  HostName ${e.hostName}`,
      `  Port ${e.port}`,
      `  User ${e.user}`,
      `  IdentityFile ${quotedPath(e.identityFile, 'identityFile')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${quotedPath(e.knownHostsFile, 'knownHostsFile')}`,
      '  StrictHostKeyChecking yes',
    );
  }
  return lines;
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

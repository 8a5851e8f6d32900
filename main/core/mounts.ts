/**
 * Extra mounts of a workspace (spec v2): named volumes, which belong to the workspace's user (an
 * engine scopes their names per user, so one user can never mount another's), and bind mounts of
 * host paths, which the hub allows only under an admin's allow-list. Written as objects or as
 * `source:target[:ro]` text; checked here for shape only — the hub decides what is allowed.
 */
import { checkWorkspaceName } from './names';

export interface Mount {
  type: 'volume' | 'bind';
  /** Volume: a DNS-label name in the user's namespace. Bind: an absolute host path. */
  source: string;
  /** Absolute path inside the workspace. */
  target: string;
  readOnly: boolean;
}

export const MAX_MOUNTS = 16;

/** Absolute, no "..", no ":" (Docker's bind syntax), no control characters; trailing "/" dropped. */
export function checkAbsolutePath(p: string): string | null {
  if (!p.startsWith('/')) return `"${p}" is not an absolute path`;
  const control = [...p].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f');
  if (control || p.includes(':') || p.split('/').includes('..')) return `"${p}" may not contain "..", ":" or control characters`;
  return null;
}

/** The one spelling of a checked absolute path: no "." segments, no doubled or trailing "/". */
export function trimPath(p: string): string {
  return `/${p.split('/').filter((seg) => seg !== '' && seg !== '.').join('/')}`;
}

type MountInput = string | { type?: unknown; source?: unknown; target?: unknown; readOnly?: unknown };

/** Parses one mount; returns it or the broken rule. */
export function parseMount(input: MountInput): Mount | string {
  const m = typeof input === 'string' ? fromText(input) : input;
  if (typeof m === 'string') return m;
  const unknown = Object.keys(m).find((k) => !['type', 'source', 'target', 'readOnly'].includes(k));
  if (unknown) return `${unknown}: unknown field`;
  const { source, target } = m;
  if (typeof source !== 'string' || typeof target !== 'string') return 'a mount needs a source and a target';
  const readOnly = m.readOnly ?? false;
  if (typeof readOnly !== 'boolean') return 'readOnly must be true or false';
  const type = m.type ?? (source.startsWith('/') ? 'bind' : 'volume');
  if (type !== 'volume' && type !== 'bind') return `"${String(type)}" is not a mount type (volume or bind)`;
  const targetRule = checkAbsolutePath(target);
  if (targetRule) return `target ${targetRule}`;
  if (trimPath(target) === '/') return 'a mount cannot replace the root directory';
  if (type === 'bind') {
    const rule = checkAbsolutePath(source);
    if (rule) return `source ${rule}`;
    return { type, source: trimPath(source), target: trimPath(target), readOnly };
  }
  const rule = checkWorkspaceName(source);
  if (rule) return rule.replace('a workspace name', 'a volume name');
  return { type, source, target: trimPath(target), readOnly };
}

function fromText(text: string): Exclude<MountInput, string> | string {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) return `"${text}" is not a mount (use NAME:/path, /host/path:/path, with :ro for read-only)`;
  const [source, target, mode] = parts as [string, string, string | undefined];
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return `"${mode}" is not a mount mode (ro or rw)`;
  return { source, target, readOnly: mode === 'ro' };
}

/** Two mounts on one target, or a mount over the data volume, would hide one another. */
export function checkMountTargets(mounts: Mount[], volumePath: string | null): string | null {
  const seen = new Set<string>(volumePath ? [volumePath] : []);
  for (const m of mounts) {
    if (seen.has(m.target)) return `${m.target} is mounted twice (the data volume is at ${volumePath ?? 'nowhere'})`;
    seen.add(m.target);
  }
  return null;
}

/** Whether a host path lies under one of the allowed roots (whole path components only). */
export function bindAllowed(source: string, allowList: readonly string[]): boolean {
  return allowList.some((root) => {
    const r = trimPath(root);
    return source === r || source.startsWith(r === '/' ? '/' : `${r}/`);
  });
}

/**
 * Files inside fake workspaces. Each store is one filesystem (a container's writable layer, a
 * volume, the "host" for bind mounts); a view stacks a workspace's mounts over its layer, so a file
 * written under the data volume's path survives remove, and one written in /tmp does not — exactly
 * the difference the contract checks on real engines.
 */
import path from 'node:path';

export class FileStore {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(['/']);

  constructor(dirs: string[] = []) {
    for (const d of dirs) this.mkdirs(d);
  }

  mkdirs(dir: string): void {
    for (let d = dir; d !== '/' && !this.dirs.has(d); d = path.posix.dirname(d)) this.dirs.add(d);
  }

  isDir(p: string): boolean {
    if (this.dirs.has(p)) return true;
    const prefix = p === '/' ? '/' : `${p}/`;
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return true;
    return false;
  }
}

export interface MountPoint {
  target: string;
  store: FileStore;
  /** Where the mount's root sits inside its store ("/" for volumes, the source for bind mounts). */
  root: string;
  readOnly: boolean;
}

type Resolved = { store: FileStore; key: string; readOnly: boolean; isMountPoint: boolean };

export class FsView {
  /** Longest target first, so the innermost mount wins. */
  private readonly mounts: MountPoint[];

  constructor(layer: FileStore, mounts: MountPoint[]) {
    this.mounts = [...mounts, { target: '/', store: layer, root: '/', readOnly: false }].sort((a, b) => b.target.length - a.target.length);
  }

  private resolve(p: string): Resolved {
    for (const m of this.mounts) {
      if (m.target === '/' || p === m.target || p.startsWith(`${m.target}/`)) {
        const rest = m.target === '/' ? p : p.slice(m.target.length);
        return { store: m.store, key: path.posix.join(m.root, rest || '/'), readOnly: m.readOnly, isMountPoint: p === m.target };
      }
    }
    throw new Error('unreachable: the layer is mounted at /');
  }

  private isMountAncestor(p: string): boolean {
    return this.mounts.some((m) => m.target === p || m.target.startsWith(p === '/' ? '/' : `${p}/`));
  }

  isDir(p: string): boolean {
    const r = this.resolve(p);
    return r.isMountPoint || this.isMountAncestor(p) || r.store.isDir(r.key);
  }

  isFile(p: string): boolean {
    const r = this.resolve(p);
    return r.store.files.has(r.key);
  }

  read(p: string): Buffer | string {
    const r = this.resolve(p);
    const data = r.store.files.get(r.key);
    if (data) return data;
    return this.isDir(p) ? 'Is a directory' : 'No such file or directory';
  }

  /** Returns an error text, or null. */
  write(p: string, data: Buffer, append: boolean): string | null {
    const r = this.resolve(p);
    if (this.isDir(p)) return 'Is a directory';
    if (!this.isDir(path.posix.dirname(p))) return 'nonexistent directory';
    if (r.readOnly) return 'Read-only file system';
    const old = append ? r.store.files.get(r.key) : undefined;
    r.store.files.set(r.key, old ? Buffer.concat([old, data]) : data);
    return null;
  }

  remove(p: string): string | null {
    const r = this.resolve(p);
    if (!r.store.files.has(r.key)) return this.isDir(p) ? 'is a directory' : 'No such file or directory';
    if (r.readOnly) return 'Read-only file system';
    r.store.files.delete(r.key);
    return null;
  }

  mkdir(p: string, parents: boolean): string | null {
    if (this.isDir(p)) return parents ? null : 'File exists';
    if (this.isFile(p)) return 'File exists';
    if (!parents && !this.isDir(path.posix.dirname(p))) return 'No such file or directory';
    const r = this.resolve(p);
    if (r.readOnly) return 'Read-only file system';
    r.store.mkdirs(r.key);
    return null;
  }

  /** Names in a directory, sorted; null when it is not one. */
  list(dir: string): string[] | null {
    if (!this.isDir(dir)) return null;
    const names = new Set<string>();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const r = this.resolve(dir);
    const storePrefix = r.key === '/' ? '/' : `${r.key}/`;
    const take = (full: string, pre: string) => {
      if (full.startsWith(pre) && full.length > pre.length) names.add(full.slice(pre.length).split('/')[0]!);
    };
    for (const f of r.store.files.keys()) take(f, storePrefix);
    for (const d of r.store.dirs) take(d, storePrefix);
    for (const m of this.mounts) take(m.target, prefix);
    return [...names].sort();
  }
}

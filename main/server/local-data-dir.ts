/**
 * Where the local hub keeps its data, shared by the desktop app and the CLI. Its own small module
 * so the CLI can name it without loading the engine and hub that local-hub.ts (beside it) brings in.
 */
import os from 'node:os';
import path from 'node:path';

/** $HUBDECK_DATA (or an explicit --data), else $XDG_DATA_HOME/hubdeck, else ~/.local/share/hubdeck. */
export function localDataDir(env: Record<string, string | undefined>, explicit?: string): string {
  if (explicit ?? env.HUBDECK_DATA) return path.resolve((explicit ?? env.HUBDECK_DATA)!);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'hubdeck');
}

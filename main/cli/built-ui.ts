/**
 * Where the built web UI is, for the commands that serve it (`hub serve`, `hubdeck ui`). Its own file
 * so those commands do not import each other for it.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The built renderer beside the built CLI (out/main/cli.js, or a chunk of it, → out/renderer); null when not built. */
export function builtUiDir(): string | null {
  const candidates = [path.join(__dirname, '..', 'renderer'), path.join(__dirname, '..', '..', 'renderer')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? null;
}

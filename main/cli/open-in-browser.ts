/** Hands a URL to the system's opener (never through a shell); without one the printed URL is enough. */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined); // no opener installed: the URL is printed anyway
  child.unref();
}

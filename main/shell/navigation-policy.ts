/**
 * Pure policy for what an app window may load (JupyterLab Desktop style: policy here, the guard in
 * windows.ts). Only the app's own origin (file:// or the dev server) stays in the window; http(s)
 * links go to the system browser; anything else is refused.
 */
export type NavigationVerdict = 'allow' | 'external' | 'deny';

export function navigationVerdict(url: string, allowedOrigins: readonly string[]): NavigationVerdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'deny';
  }
  if (u.protocol === 'file:') return allowedOrigins.includes('file://') ? 'allow' : 'deny';
  if (allowedOrigins.includes(u.origin)) return 'allow';
  return u.protocol === 'https:' || u.protocol === 'http:' ? 'external' : 'deny';
}

export { APP_CSP, META_CSP } from '../api/csp';

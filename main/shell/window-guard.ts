/**
 * The effect side of the window policies: every navigation, new-window request, permission request
 * and download of a window goes through the pure verdicts of navigation-policy.ts and
 * window-policy.ts. Links the window may not show but the web may go to the system browser.
 */
import type { Session, WebContents } from 'electron';
import type { NavigationVerdict } from './navigation-policy';
import { permissionAllowed } from './window-policy';

export interface GuardDeps {
  openExternal: (url: string) => unknown;
}

/** Routes `will-navigate`, redirects and `window.open` through `verdict`; in-scope pop-ups open per `popup`. */
export function guardNavigation(
  wc: WebContents, verdict: (url: string) => NavigationVerdict, d: GuardDeps,
  popup: (url: string) => Electron.WindowOpenHandlerResponse = () => ({ action: 'deny' }),
): void {
  const check = (e: { preventDefault(): void }, url: string) => {
    const v = verdict(url);
    if (v === 'allow') return;
    e.preventDefault();
    if (v === 'external') void d.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK — http(s) only, by the verdict
  };
  wc.on('will-navigate', (e, url) => check(e, url));
  wc.on('will-redirect', (e, url) => check(e, url));
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    const v = verdict(url);
    if (v === 'allow') return popup(url);
    if (v === 'external') void d.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK — http(s) only, by the verdict
    return { action: 'deny' };
  });
}

/** Every permission request and check of a session: denied (window-policy.ts says why). */
export function guardPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
  ses.setDevicePermissionHandler(() => false);
}

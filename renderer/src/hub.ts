/**
 * The renderer's one HubClient: over the preload bridge inside the desktop app, over REST and
 * Server-Sent Events when the same page is served by a hub to a plain browser.
 */
import { bridgeHubClient, type HubdeckBridge } from '../../main/api/ipc-bridge';
import { browserHubClient } from '../../main/api/browser-hub-client';
import type { HubClient } from '../../main/api/hub-client';

declare global {
  interface Window {
    hubdeck?: HubdeckBridge;
  }
}

/**
 * Whether this page signs in to its hub itself (REST, a browser tab: the sign-in page, Sign out)
 * rather than being signed in by the desktop app's main process (IPC). A fact of the transport,
 * not the answer to "are we in the desktop app?" (that is lib/desktop.ts's `desktop`).
 */
export const signsInItself = !window.hubdeck;
export const hubClient: HubClient = window.hubdeck ? bridgeHubClient(window.hubdeck) : browserHubClient();

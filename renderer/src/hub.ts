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

export const hubClient: HubClient = window.hubdeck ? bridgeHubClient(window.hubdeck) : browserHubClient();

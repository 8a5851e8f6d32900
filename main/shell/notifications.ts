/** Which hub events deserve a desktop notification (ready, failed, expiring, expired, culled), and their words. Pure; desktop-tray.ts shows them. */
import type { HubEvent } from '../api/events';

export function notificationFor(e: HubEvent): { title: string; body: string } | null {
  switch (e.type) {
    case 'workspace.expiring':
      return { title: `${e.name} expires soon`, body: `It will be stopped at ${new Date(e.expiresAt).toLocaleString()}. Extend it to keep it running.` };
    case 'workspace.expired':
      if (e.action === 'stop') return { title: `${e.name} expired`, body: 'It was stopped; start or extend it to use it again.' };
      return { title: `${e.name} expired`, body: e.volumeKept === false ? 'It was removed.' : 'It was removed; its data volume was kept.' };
    case 'workspace.culled':
      return { title: `${e.name} was stopped`, body: `It had been idle for ${e.idleMinutes} minutes.` };
    case 'workspace.state':
      if (e.state === 'running') return { title: `${e.name} is ready`, body: 'Open it from the tray or the app.' };
      return e.state === 'failed' ? { title: `${e.name} failed`, body: 'See its logs for why.' } : null;
    default:
      return null;
  }
}

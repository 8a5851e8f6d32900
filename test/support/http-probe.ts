/** The readiness wait the hub uses (waitForHttp), aimed at an address: for benches that start containers by hand. */
import net from 'node:net';
import { waitForHttp } from '../../main/engine/wait-ready';

export function waitForAddress(host: string, port: number, path: string, label: string, timeoutMs = 120_000): Promise<void> {
  return waitForHttp({
    connect: () => new Promise((resolve, reject) => {
      const s = net.connect({ host, port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    }),
    state: async () => ({ state: 'running', status: 'running' }),
    lastLogs: async () => '',
    path,
    label,
  }, timeoutMs);
}

/**
 * `npm run bench:streams`: a hub (HTTP, in-memory engine) while one user holds their maximum of
 * open event streams and keeps asking for more: how fast the admin is still answered (goal: within
 * 100 ms). Loopback only; bounded in count and time.
 */
import http from 'node:http';
import { api, startApiHub } from '../support/api-hub';

const ADMIN_REQUESTS = 200;

async function main(): Promise<void> {
  const h = await startApiHub('bench-streams');
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'greedy', selfService: true });
  const token = ((await api(h.url, 'POST', '/users/greedy/tokens', h.adminToken, {})).body as { token: string }).token;
  const held: http.ClientRequest[] = [];
  const open = () => new Promise<number>((resolve) => {
    const req = http.get(`${h.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => { resolve(res.statusCode ?? 0); if (res.statusCode !== 200) res.resume(); });
    req.on('error', () => resolve(0));
    held.push(req);
  });
  const statuses: number[] = [];
  for (let i = 0; i < 16; i++) statuses.push(await open());
  let refused = 0;
  let stop = false;
  // The greedy client keeps hammering for more streams while the admin works.
  const hammer = (async () => { while (!stop) if ((await open()) === 429) refused++; })();
  const times: number[] = [];
  for (let i = 0; i < ADMIN_REQUESTS; i++) {
    const t0 = performance.now();
    const r = await api(h.url, 'GET', '/workspaces?all=1', h.adminToken);
    times.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`admin got ${r.status}`);
  }
  stop = true;
  await hammer;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`greedy user: ${statuses.filter((s) => s === 200).length} streams held, ${refused} more refused with 429 meanwhile`);
  console.log(`admin GET /workspaces?all=1 × ${ADMIN_REQUESTS}: median ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${times.at(-1)!.toFixed(1)} ms (goal ≤ 100 ms)`);
  for (const r of held) r.destroy();
  await h.stop();
}

void main();

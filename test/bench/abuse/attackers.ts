/**
 * The attackers of `npm run bench:abuse`, in a process of their own so that their thousands of
 * sockets do not slow the measuring process's own event loop (what is measured is the hub). Run
 * as `tsx attackers.ts '<json>'` with {url, sshPort, slowClients, preAuth, seconds}; prints one JSON
 * status line when the first wave is attached and every 2 s after, and stops on SIGTERM or after
 * `seconds`. Loopback only (the helpers refuse anything else).
 */
import { openSlowClients, type SlowClients } from './http-abuse';
import { openPreAuthConnections } from './ssh-abuse';

interface Orders {
  url: string;
  sshPort: number;
  slowClients: number;
  preAuth: number;
  seconds: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Orders;
type Flood = Awaited<ReturnType<typeof openPreAuthConnections>>;
const floods: Flood[] = [];
let slow: SlowClients | null = null;
let stopping = false;
let next = 0;

/**
 * Keeps `preAuth` banner-and-stall SSH connections coming, 10 per address over 127.0.1.0–19 (one
 * attacker's block: more addresses than that and each holds less than a person would), re-opened
 * as the gateway closes them.
 */
async function topUp(): Promise<void> {
  const open = () => floods.reduce((n, f) => n + f.open(), 0);
  for (let tries = 0; !stopping && open() < o.preAuth && tries < 20; tries++) {
    const done = floods.findIndex((f) => f.open() === 0);
    if (done >= 0) await floods.splice(done, 1)[0]!.close();
    floods.push(await openPreAuthConnections('127.0.0.1', o.sshPort, 10, { localAddress: `127.0.1.${next++ % 20}` }));
  }
}

function status(): string {
  return JSON.stringify({ slowOpen: slow?.open() ?? 0, slowCut: slow?.closedByServer() ?? 0, preAuthOpen: floods.reduce((n, f) => n + f.open(), 0) });
}

async function stop(): Promise<void> {
  stopping = true;
  await slow?.close();
  for (const f of floods) await f.close();
  process.exit(0);
}

async function main(): Promise<void> {
  process.once('SIGTERM', () => void stop());
  // A closed stdout (the bench went away) must not end this process with an unhandled EPIPE.
  process.stdout.on('error', () => void stop());
  setTimeout(() => void stop(), o.seconds * 1000).unref();
  if (o.slowClients > 0) slow = await openSlowClients(o.url, o.slowClients, { sourceAddresses: 100, durationMs: o.seconds * 1000 });
  await topUp();
  console.log(status());
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    if (stopping) return;
    await topUp();
    console.log(status());
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

// The built `hubdeck` command against a real hub (in this process, fake engine) that reports NO
// capabilities in its info while its API still answers: every command that needs an ability the
// hub lacks is refused before it acts, with exit code 2 and a message naming what and where; what
// every hub can do (list, stop) still works. The CLI asks capabilities, never the kind of hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CAPABILITIES } from '../../../main/api/capabilities';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { startApiHub, type ApiHub } from '../../support/api-hub';
import { hubdeck } from '../../support/cli';

let h: ApiHub;
const on = (...args: string[]) => hubdeck(['--hub', h.url, '--token', h.adminToken, ...args]);

beforeAll(async () => {
  h = await startApiHub('nocaps-cli');
  const realInfo = h.hub.info.bind(h.hub);
  h.hub.info = async (actor) => ({ ...(await realInfo(actor)), capabilities: NO_CAPABILITIES });
  const client = remoteHubClient({ url: h.url, token: h.adminToken });
  await client.createWorkspace({ body: { name: 'box1' } }).finally(() => client.close());
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 30_000);

describe('the CLI on a hub that reports no capabilities', () => {
  it('refuses what the hub cannot do, saying what and where', async () => {
    const refused: [string[], string][] = [
      [['workspace', 'logs', 'box1'], 'workspace logs'],
      [['workspace', 'stats', 'box1'], 'workspace stats'],
      [['workspace', 'extend', 'box1', '--days', '1'], 'workspace extend'],
      [['workspace', 'list', '--all'], 'workspace list --all'],
      [['workspace', 'create', 'box2'], 'workspace create'],
      [['workspace', 'open', 'box1'], 'workspace open'],
      [['workspace', 'ssh', 'box1'], 'SSH'],
      [['workspace', 'forward', 'box1', '18888:8888'], 'workspace forward and tunnels'],
      [['tunnel', 'add', 'tb', '--workspace', 'box1', '--local', '16006', '--remote', '6006'], 'workspace forward and tunnels'],
      [['user', 'list'], 'user list'],
      [['image', 'list'], 'image list'],
      [['key', 'list', 'admin'], 'key list'],
    ];
    for (const [args, what] of refused) {
      const r = await on(...args);
      expect([r.code, r.stderr.trim()], args.join(' ')).toEqual([2, `hubdeck: ${what}: not available on a hub of this kind`]);
    }
  }, 120_000);

  it('does what every hub can, and says in hub info that there is no SSH', async () => {
    const list = await on('--json', 'workspace', 'list');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((w) => w.name)).toEqual(['box1']);
    expect((await on('workspace', 'stop', 'box1')).stdout.trim()).toMatch(/^admin\/box1: stopped \(/);
    const info = await on('hub', 'info');
    expect(info.stdout.split('\n')[1]).toBe('SSH: not available on a hub of this kind');
  }, 60_000);
});

/**
 * `hubdeck hub serve --engine swarm` end to end: a real hub process on the real single-node swarm,
 * driven by the real CLI — users and tokens, a workspace created (and waited for through the
 * engine's connect), its logs and stats, stop (0 replicas) and start, the hub restarted from
 * scratch finding it again by labels, then removed with its data. Bad Swarm flags fail at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { hubdeck } from '../../../support/cli';
import { docker, testOrigin } from '../../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('srvsw');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-swarm-'));
const serveArgs = ['--data', dataDir, '--listen', '127.0.0.1:0', '--engine', 'swarm', '--origin', origin, '--tick', '1', '--swarm-constraint', 'node.role==manager', '--swarm-preference', 'node.labels.zone'];
let srv: ServeProcess;
let alice = '';
const as = (token: string, ...args: string[]) => hubdeck(['--hub', srv.url, '--token', token, ...args]);
const services = () => docker.listServices({ filters: { label: [`${LABELS.origin}=${origin}`] } });

beforeAll(async () => {
  await requireSwarm();
  srv = await startServe(serveArgs);
});
afterAll(async () => {
  await srv?.stop('SIGKILL').catch(() => undefined);
  await sweepSwarm(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('hub serve --engine swarm', () => {
  it('starts on the swarm and says so', async () => {
    expect(srv.stdout()).toMatch(/engine Docker Swarm, 1 of \d+ nodes? ready/);
    expect((await as(srv.adminToken!, 'user', 'add', 'alice', '--self-service')).code).toBe(0);
    alice = JSON.parse((await as(srv.adminToken!, '--json', 'token', 'create', 'alice')).stdout).token;
    expect(alice).toMatch(/^hdk_/);
    expect((await as(srv.adminToken!, 'image', 'add', 'busybox', TEST_IMAGES.busybox)).code).toBe(0);
  });

  it('creates a workspace as a service, waits until it answers, and shows its logs and stats', async () => {
    const created = await as(alice, '--json', 'workspace', 'create', 'w1', '--image', TEST_IMAGES.busybox, '--cpus', '0.5', '--memory', '64m', '--days', '2');
    expect(created.stderr).toContain('waiting for /user/alice/w1/ to answer');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'w1', user: 'alice', state: 'running', cpus: 0.5, memory: 64 * 1024 ** 2 });
    const [svc] = await services();
    const t = svc!.Spec!.TaskTemplate as Docker.ContainerTaskSpec;
    expect(svc!.Spec!.Labels).toMatchObject({ [LABELS.user]: 'alice', [LABELS.workspace]: 'w1' });
    // Kept on the node that holds its data volume from its first run (swarm-service.ts pinToNode).
    const manager = ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    expect(t.Placement).toEqual({ Constraints: ['node.role==manager', `node.id==${manager}`], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] });
    expect(t.Resources!.Limits).toEqual({ NanoCPUs: 5e8, MemoryBytes: 64 * 1024 ** 2 });
    const logs = await as(alice, 'workspace', 'logs', 'w1', '--tail', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/response:/); // busybox httpd logged the readiness probe
    expect(JSON.parse((await as(alice, '--json', 'workspace', 'stats', 'w1')).stdout)).toMatchObject({ memoryLimit: 64 * 1024 ** 2 });
  });

  it('stops to 0 replicas and starts again', async () => {
    expect(JSON.parse((await as(alice, '--json', 'workspace', 'stop', 'w1')).stdout)).toMatchObject({ name: 'w1', state: 'stopped' });
    expect((await services())[0]!.Spec!.Mode!.Replicated!.Replicas).toBe(0);
    const start = await as(alice, 'workspace', 'start', 'w1');
    expect(start.stdout).toMatch(/^alice\/w1: running/);
    expect((await services())[0]!.Spec!.Mode!.Replicated!.Replicas).toBe(1);
  });

  it('finds the workspace again after a restart of the hub (labels are the truth), then removes it with its data', async () => {
    await srv.stop('SIGTERM');
    srv = await startServe(serveArgs);
    expect(srv.reconciled).toBe('reconciled: 1 workspace(s), 0 orphaned');
    const list = JSON.parse((await as(alice, '--json', 'workspace', 'list')).stdout) as { name: string; state: string }[];
    expect(list).toMatchObject([{ name: 'w1', state: 'running' }]);
    const rm = await as(alice, '--json', 'workspace', 'remove', 'w1', '--delete-data');
    expect(JSON.parse(rm.stdout)).toEqual({ name: 'w1', user: 'alice', removed: true, dataDeleted: true });
    expect(await services()).toEqual([]);
    expect((await docker.listVolumes({ filters: { label: [`${LABELS.origin}=${origin}`, `${LABELS.kind}=volume`] } })).Volumes ?? []).toEqual([]);
  });

  it('refuses bad Swarm flags at start, naming the flag', async () => {
    const r = await hubdeck(['hub', 'serve', '--data', fs.mkdtempSync(path.join(os.tmpdir(), 'serve-swarm-bad-')), '--listen', '127.0.0.1:0', '--engine', 'swarm', '--swarm-constraint', 'gpu=yes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('hubdeck: swarm-constraint: "gpu=yes" is not a Swarm constraint (e.g. node.labels.gpu==a100, node.role!=manager)');
    const n = await hubdeck(['hub', 'serve', '--data', fs.mkdtempSync(path.join(os.tmpdir(), 'serve-swarm-bad-')), '--listen', '127.0.0.1:0', '--engine', 'swarm', '--swarm-node', 'gpu1']);
    expect(n.stderr.trim()).toMatch(/^hubdeck: swarm-node: "gpu1" is not NODE=DOCKER_HOST/);
  });
});

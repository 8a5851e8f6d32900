import { describe, expect, it } from 'vitest';
import { currentTask, workspaceState, type SwarmTask } from '../../../../main/engine/swarm/swarm-task';
import { rejection, waitForNewTask } from '../../../../main/engine/swarm/swarm-wait';

const task = (state: string, o: Partial<SwarmTask> & { err?: string; code?: number } = {}): SwarmTask => ({
  ID: o.ID ?? state, CreatedAt: o.CreatedAt ?? '2030-01-01T00:00:00Z', DesiredState: o.DesiredState ?? 'running',
  Status: { State: state, Err: o.err, Timestamp: '2030-01-01T00:00:01Z', ContainerStatus: o.code === undefined ? undefined : { ContainerID: 'c', ExitCode: o.code } },
});

describe('swarm task states', () => {
  it('picks the task meant to run, else the newest', () => {
    const old = task('shutdown', { ID: 'old', DesiredState: 'shutdown', CreatedAt: '2030-01-01T00:00:00Z' });
    const cur = task('running', { ID: 'cur', CreatedAt: '2029-01-01T00:00:00Z' });
    expect(currentTask([old, cur])!.ID).toBe('cur');
    expect(currentTask([old, task('failed', { ID: 'f', DesiredState: 'shutdown', CreatedAt: '2031-01-01T00:00:00Z' })])!.ID).toBe('f');
    expect(currentTask([])).toBeNull();
  });

  it('maps replicas and the current task to workspace states, with the task error as status', () => {
    expect(workspaceState(1, task('running'))).toEqual({ state: 'running', status: 'running' });
    // Shut down by Swarm (its node drained or lost) while the service still asks for a replica.
    const bySwarm = { state: 'stopped', status: 'stopped by Swarm: its node was drained or lost; start it again' };
    expect(workspaceState(1, task('shutdown', { DesiredState: 'shutdown' }))).toEqual(bySwarm);
    expect(workspaceState(1, task('failed', { DesiredState: 'shutdown', code: 143 }))).toEqual(bySwarm);
    expect(workspaceState(0, task('shutdown', { DesiredState: 'shutdown' }))).toEqual({ state: 'stopped', status: 'stopped' });
    expect(workspaceState(0, task('running', { DesiredState: 'shutdown' }))).toEqual({ state: 'stopping', status: 'stopping' });
    expect(workspaceState(0, null)).toEqual({ state: 'stopped', status: 'created' });
    expect(workspaceState(1, null)).toEqual({ state: 'starting', status: 'waiting for a task' });
    expect(workspaceState(1, task('preparing'))).toEqual({ state: 'starting', status: 'preparing' });
    expect(workspaceState(1, task('pending', { err: 'no suitable node (scheduling constraints not satisfied on 1 node)' })))
      .toEqual({ state: 'starting', status: 'pending: no suitable node (scheduling constraints not satisfied on 1 node)' });
    expect(workspaceState(1, task('failed', { DesiredState: 'shutdown', err: 'task: non-zero exit (3)', code: 3 }))).toEqual({ state: 'failed', status: 'exited with code 3' });
    expect(workspaceState(1, task('rejected', { DesiredState: 'shutdown', err: 'No such image: x:1' }))).toEqual({ state: 'failed', status: 'No such image: x:1' });
    expect(workspaceState(0, task('shutdown', { DesiredState: 'shutdown' }))).toEqual({ state: 'stopped', status: 'stopped' });
    expect(workspaceState(1, task('complete', { DesiredState: 'shutdown', code: 0 }))).toEqual({ state: 'stopped', status: 'exited (0)' });
    expect(workspaceState(0, task('failed', { DesiredState: 'shutdown', code: 137 }))).toEqual({ state: 'stopped', status: 'exited (137)' });
    expect(workspaceState(1, task('orphaned')).state).toBe('unknown');
  });

  it('turns a refused task into an error naming the field to change', () => {
    const label = 'workspace "w" of alice';
    expect(rejection(task('pending', { err: 'no suitable node (scheduling constraints not satisfied on 1 node)' }), 'img', label)).toMatchObject({ code: 'invalid', field: 'placement' });
    expect(rejection(task('pending', { err: 'no suitable node (insufficient resources on 1 node)' }), 'img', label)).toMatchObject({ code: 'quota', message: 'capacity: no suitable node (insufficient resources on 1 node)' });
    expect(rejection(task('rejected', { err: 'No such image: img:1' }), 'img:1', label)).toMatchObject({ code: 'invalid', field: 'image', engineText: 'No such image: img:1' });
    expect(rejection(task('rejected', { err: 'No such image: img:1' }), 'img:1', label).message).toMatch(/^image: "img:1" is not on docker\.io .*; check its name and tag$/);
    // an unreachable registry is the same sentence (and exit 5) as on Docker
    const dns = 'pull failed: Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.0.0.53:53: no such host';
    expect(rejection(task('rejected', { err: dns }), 'quay.io/jupyter/base-notebook', label)).toMatchObject({
      code: 'unavailable', field: 'image', message: 'image: cannot reach quay.io from this engine (Swarm) to pull "quay.io/jupyter/base-notebook"',
    });
    expect(rejection(task('rejected', { err: 'invalid mount config for type "bind": bind source path does not exist: /x' }), 'img', label)).toMatchObject({ code: 'invalid', field: 'mounts' });
    expect(rejection(task('failed', { err: 'starting container failed: oci runtime error' }), 'img', label)).toMatchObject({ code: 'engine', message: `${label} could not start: starting container failed: oci runtime error` });
  });
});

describe('waiting for a new task', () => {
  it('nudges a service that asks for a replica and gets no task, once, and then sees the task it makes', async () => {
    let tasks: SwarmTask[] = [];
    let nudges = 0;
    const running = waitForNewTask({
      tasks: async () => tasks, label: 'w', image: 'i', timeoutMs: 5_000, noTaskMs: 100,
      onNoTask: async () => { nudges++; tasks = [task('running', { ID: 'new' })]; },
    }, new Set(['old']));
    expect((await running).ID).toBe('new');
    expect(nudges).toBe(1);
  });

  it('does not nudge while the new task is on its way', async () => {
    let nudges = 0;
    const t = await waitForNewTask({ tasks: async () => [task('running', { ID: 'n' })], label: 'w', image: 'i', timeoutMs: 5_000, noTaskMs: 0, onNoTask: async () => { nudges++; } }, new Set());
    expect(t.ID).toBe('n');
    expect(nudges).toBe(0);
  });
});

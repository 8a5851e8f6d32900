// main/engine/kubernetes/kube-state.ts: pod → workspace state, with the reason.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podState } from '../../../../main/engine/kubernetes/kube-state';

const pod = (status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({ metadata: { name: 'p', ...extra }, status });

describe('pod state', () => {
  it('maps pods to workspace states with the reason', () => {
    expect(podState(null)).toEqual({ state: 'stopped', status: 'stopped' });
    expect(podState(pod({ phase: 'Running', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] })).state).toBe('running');
    expect(podState(pod({ phase: 'Failed', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } }] }))).toEqual({ state: 'failed', status: 'exited with code 3' });
    expect(podState(pod({ phase: 'Failed', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }))).toEqual({ state: 'failed', status: 'killed: out of memory' });
    expect(podState(pod({ phase: 'Pending', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] }))).toEqual({ state: 'failed', status: 'ImagePullBackOff: Back-off pulling image "x"' });
    expect(podState(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/1 nodes are available' }] }))).toEqual({ state: 'starting', status: 'pending: 0/1 nodes are available' });
    expect(podState(pod({ phase: 'Running' }, { deletionTimestamp: new Date() })).state).toBe('stopping');
    expect(podState(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }))).toEqual({ state: 'failed', status: 'Evicted: The node was low on resource: memory.' });
  });
});

describe('a pod waiting on its container', () => {
  const waitingOn = (reason: string, message: string) => ({ status: { containerStatuses: [{ name: 'workspace', state: { waiting: { reason, message } } }] } }) as never;
  it('is still starting, not failed, while the kubelet syncs a secret (waitReady reads this state)', () => {
    expect(podState(waitingOn('CreateContainerConfigError', 'failed to sync secret cache: timed out waiting for the condition')).state).toBe('starting');
    expect(podState(waitingOn('CreateContainerConfigError', 'secret "x" not found')).state).toBe('failed');
  });
});

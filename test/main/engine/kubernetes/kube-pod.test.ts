// main/engine/kubernetes/kube-pod.ts: Events into progress and the hopeless ones into errors; a pod waiting on its container.
import { describe, expect, it } from 'vitest';
import { fatalEvent, fatalState, progressOf } from '../../../../main/engine/kubernetes/kube-pod';

describe('pod events', () => {
  it('turns Events into progress, and the hopeless ones into errors', () => {
    expect(progressOf({ reason: 'Pulling', message: 'Pulling image "x"' }, 'x')).toMatchObject({ phase: 'pull', image: 'x' });
    expect(progressOf({ reason: 'Killing' }, 'x')).toBeNull();
    expect(fatalEvent({ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.' }, 'x')).toBeNull();
    expect(fatalEvent({ reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient memory.' }, 'x')).toMatchObject({ code: 'quota' });
    expect(fatalEvent({ reason: 'FailedScheduling', message: "0/1 nodes are available: 1 node(s) didn't match node selector." }, 'x')).toMatchObject({ code: 'quota' });
    // a bare ErrImagePull is left to the pod's waiting state, which says why
    expect(fatalEvent({ reason: 'Failed', message: 'Error: ErrImagePull' }, 'x')).toBeNull();
    expect(fatalEvent({ reason: 'Failed', message: 'Failed to pull image "x": rpc error: manifest unknown' }, 'x')).toMatchObject({ code: 'invalid', field: 'image' });
  });
});

describe('a pod waiting on its container', () => {
  const waitingOn = (reason: string, message: string) => ({ status: { containerStatuses: [{ name: 'workspace', state: { waiting: { reason, message } } }] } }) as never;
  it('waits while the kubelet syncs a secret, and fails on a real configuration error', () => {
    expect(fatalState(waitingOn('CreateContainerConfigError', 'failed to sync secret cache: timed out waiting for the condition'), 'img')).toBeNull();
    expect(fatalState(waitingOn('CreateContainerConfigError', 'secret "x" not found'), 'img')?.message).toMatch(/could not be started \(CreateContainerConfigError\): secret "x" not found/);
    expect(fatalState(waitingOn('ErrImagePull', 'no such image'), 'img')?.message).toMatch(/^image: "img" is not on docker\.io .*check its name and tag$/);
    expect(fatalState(waitingOn('ErrImagePull', 'rpc error: dial tcp: lookup quay.io: no such host'), 'quay.io/x')).toMatchObject({ code: 'unavailable', field: 'image' });
    expect(fatalState(waitingOn('CreateContainerError', 'Error response from daemon: No command specified'), 'img')).toMatchObject({ code: 'invalid', field: 'image' });
  });
});

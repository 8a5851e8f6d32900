import { describe, expect, it } from 'vitest';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { LABELS } from '../../../../main/core/labels';
import { deviceRequests, planContainer } from '../../../../main/engine/docker/container-plan';

const spec = parseWorkspaceRequest(
  { name: 'gpu1', user: 'alice', image: 'img:1', cpus: '1.5', memory: '512m', shm: '128m', gpus: 'all', env: ['A=1'] },
  { now: new Date() },
);

describe('planContainer', () => {
  const plan = planContainer(spec, 'local', 'tok');
  const host = plan.create.HostConfig!;

  it('maps limits exactly as docker run does', () => {
    expect(host.NanoCpus).toBe(1_500_000_000);
    expect(host.Memory).toBe(536870912);
    expect(host.ShmSize).toBe(134217728);
    expect(host.DeviceRequests).toEqual([{ Driver: '', Count: -1, Capabilities: [['gpu']], Options: {} }]);
  });

  it('puts the workspace on its user network with a labelled volume at the work directory', () => {
    expect(host.NetworkMode).toBe('hubdeck-local-alice');
    expect(plan.network.labels[LABELS.user]).toBe('alice');
    expect(host.Mounts).toEqual([{ Type: 'volume', Source: plan.volume!.name, Target: '/home/jovyan/work' }]);
    expect(plan.volume!.labels[LABELS.kind]).toBe('volume');
    expect(plan.create.Labels![LABELS.kind]).toBe('workspace');
  });

  it('sets the base URL and token for the web app, after the user env', () => {
    const env = plan.create.Env!;
    expect(env).toContain('A=1');
    expect(env).toContain('JUPYTERHUB_SERVICE_PREFIX=/user/alice/gpu1/');
    expect(env).toContain('JUPYTER_TOKEN=tok');
    expect(env).toContain('NOTEBOOK_ARGS=--ServerApp.base_url=/user/alice/gpu1/ --ServerApp.port=8888');
  });

  it('leaves limits unset when not asked and has no volume when off', () => {
    const bare = planContainer(parseWorkspaceRequest({ name: 'a', user: 'bob', volume: false }, { now: new Date() }), 'local', 't');
    expect(bare.create.HostConfig).toMatchObject({ NanoCpus: undefined, Memory: undefined, DeviceRequests: undefined, Mounts: [] });
    expect(bare.volume).toBeNull();
  });

  it('maps each GPU request form', () => {
    expect(deviceRequests({ kind: 'count', count: 2 })![0]).toMatchObject({ Count: 2 });
    expect(deviceRequests({ kind: 'devices', ids: ['0', '2'] })![0]).toMatchObject({ DeviceIDs: ['0', '2'] });
    expect(deviceRequests(null)).toBeUndefined();
  });
});

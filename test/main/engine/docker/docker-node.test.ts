import { describe, expect, it } from 'vitest';
import type { EngineNode } from '../../../../main/engine/engine';
import { cachedNode, nodeFromInfo } from '../../../../main/engine/docker/docker-node';
import { defaultConnectMode } from '../../../../main/engine/docker/docker-connect';

const node = (name: string): EngineNode => ({ name, cpus: 2, memory: 1, gpus: 0, labels: {} });

describe('the Docker host as a node', () => {
  it('reads the daemon\'s KEY=VALUE labels and swarm GPU resources', () => {
    const n = nodeFromInfo({
      Name: 'box', NCPU: 8, MemTotal: 1024, Labels: ['pool=gpu', 'zone=a=b'],
      GenericResources: [{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 2 } }, { DiscreteResourceSpec: { Kind: 'other', Value: 5 } }],
    }, false);
    expect(n).toEqual({ name: 'box', cpus: 8, memory: 1024, gpus: 2, labels: { pool: 'gpu', zone: 'a=b' } });
    expect(nodeFromInfo({ Name: 'far', NCPU: 1, MemTotal: 1 }, false)).toMatchObject({ gpus: 0, labels: {} });
  });

  it('is asked again after its time to live, and a failed ask is not remembered', async () => {
    let now = 0;
    let asks = 0;
    let fail = true;
    const get = cachedNode(async () => {
      asks++;
      if (fail) throw new Error('daemon down');
      return node(`n${asks}`);
    }, 1000, () => now);
    await expect(get()).rejects.toThrow('daemon down');
    fail = false;
    expect((await get()).name).toBe('n2');
    now = 999;
    expect((await get()).name).toBe('n2');
    now = 2001;
    expect((await get()).name).toBe('n3');
  });

  it('is asked afresh where it decides something, and that answer names nodes until its time to live', async () => {
    let now = 0;
    let asks = 0;
    const get = cachedNode(async () => node(`n${++asks}`), 1000, () => now);
    expect((await get()).name).toBe('n1');
    expect((await get.fresh()).name).toBe('n2');
    now = 500;
    expect((await get()).name).toBe('n2');
    now = 1600;
    expect((await get()).name).toBe('n3');
    expect(asks).toBe(3);
  });

  it('is reached directly only from a local Linux engine', () => {
    expect(defaultConnectMode('unix', 'linux')).toBe('direct');
    expect(defaultConnectMode('unix', 'darwin')).toBe('exec');
    expect(defaultConnectMode('npipe', 'win32')).toBe('exec');
    expect(defaultConnectMode('tcp', 'linux')).toBe('exec');
    expect(defaultConnectMode('ssh', 'linux')).toBe('ssh');
  });
});

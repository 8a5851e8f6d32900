import { describe, expect, it } from 'vitest';
import { nodeSatisfies, parseConstraint, parsePreference, parseSwarmPlacement, placementFor, placementProblem, type NodeFacts } from '../../../../main/engine/swarm/swarm-placement';

const node = (o: Partial<NodeFacts> = {}): NodeFacts => ({ id: 'n1', hostname: 'GPU-1', role: 'worker', os: 'linux', arch: 'x86_64', labels: { gpu: 'a100' }, engineLabels: { disk: 'ssd' }, ...o });

describe('swarm placement', () => {
  it('parses constraints and preferences in Swarm syntax, refusing anything else by option name', () => {
    expect(parseConstraint('node.labels.gpu == a100')).toEqual({ key: 'node.labels.gpu', op: '==', value: 'a100' });
    expect(parseConstraint('node.role!=manager')).toEqual({ key: 'node.role', op: '!=', value: 'manager' });
    for (const bad of ['gpu=yes', 'node.labels.gpu=a100', 'node.secret==x', 'node.labels.a==b; rm -rf /', 'node.labels.a==']) {
      expect(() => parseConstraint(bad, 'swarm-constraint')).toThrow(/^swarm-constraint: ".*" is not a Swarm constraint/);
    }
    expect(parsePreference('spread=node.labels.zone')).toBe('node.labels.zone');
    expect(parsePreference('node.labels.rack')).toBe('node.labels.rack');
    expect(() => parsePreference('zone', 'swarm-preference')).toThrow(/^swarm-preference:/);
  });

  it('combines hub, per-image (by canonical reference) and spec rules', () => {
    const p = parseSwarmPlacement({
      constraints: ['node.role==worker'], preferences: ['node.labels.zone'],
      imageConstraints: ['docker.io/library/torch=node.labels.gpu==a100', 'torch:latest=engine.labels.disk==ssd'], imagePreferences: ['torch=node.labels.rack'],
    });
    expect(placementFor(p, 'torch', { pool: 'ml' })).toEqual({
      constraints: [
        { key: 'node.role', op: '==', value: 'worker' }, { key: 'node.labels.gpu', op: '==', value: 'a100' },
        { key: 'engine.labels.disk', op: '==', value: 'ssd' }, { key: 'node.labels.pool', op: '==', value: 'ml' },
      ],
      preferences: ['node.labels.zone', 'node.labels.rack'],
    });
    expect(placementFor(p, 'other:1', {}).constraints).toEqual([{ key: 'node.role', op: '==', value: 'worker' }]);
    expect(() => parseSwarmPlacement({ imageConstraints: ['node.role==worker'] })).toThrow(/swarm-image-constraint: .* is not a Swarm constraint/);
    expect(() => parseSwarmPlacement({ imageConstraints: ['=node.role==worker'] })).toThrow(/is not IMAGE=RULE/);
  });

  it('evaluates constraints as Swarm does: != holds for a missing attribute, host names ignore case', () => {
    expect(nodeSatisfies(node(), [parseConstraint('node.hostname==gpu-1'), parseConstraint('node.labels.gpu==a100'), parseConstraint('engine.labels.disk==ssd')])).toBe(true);
    expect(nodeSatisfies(node(), [parseConstraint('node.labels.gpu==A100')])).toBe(false);
    expect(nodeSatisfies(node(), [parseConstraint('node.labels.missing!=x')])).toBe(true);
    expect(nodeSatisfies(node(), [parseConstraint('node.role!=worker')])).toBe(false);
    const rules = { constraints: [parseConstraint('node.labels.gpu==h100')], preferences: [] };
    expect(placementProblem([node()], rules)).toBe('no node of this swarm satisfies node.labels.gpu==h100');
    expect(placementProblem([node(), node({ id: 'n2' })], rules)).toBe('no node of 2 of this swarm satisfies node.labels.gpu==h100');
    expect(placementProblem([node(), node({ labels: { gpu: 'h100' } })], rules)).toBeNull();
  });
});

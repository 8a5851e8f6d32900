import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../main/core/errors';
import { DEFAULT_IMAGE, parseWorkspaceRequest } from '../../../main/core/workspace-spec';
import { decodeSpec } from '../../../main/core/spec-decoding';

const now = new Date('2026-01-01T00:00:00Z');
const base = { name: 'gpu1', user: 'alice' };
const parse = (extra: Record<string, unknown>) => parseWorkspaceRequest({ ...base, ...extra }, { now });

function errorOf(extra: Record<string, unknown>): ValidationError {
  try {
    parse(extra);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`expected ${JSON.stringify(extra)} to be refused`);
}

describe('parseWorkspaceRequest', () => {
  it('normalizes a full request', () => {
    const s = parse({
      image: 'hubdeck-test/busybox-web:1', cpus: '1.5', memory: '512m', shm: '128m', gpus: '0,2',
      env: ['A=1', 'B=x=y'], days: 2, webPort: '8080', volume: false, volumePath: '/data/',
    });
    expect(s).toEqual({
      name: 'gpu1', user: 'alice', image: 'hubdeck-test/busybox-web:1', cpus: 1.5, memory: 536870912, shm: 134217728,
      gpus: { kind: 'devices', ids: ['0', '2'] }, env: { A: '1', B: 'x=y' }, volume: false, volumePath: '/data',
      expiresAt: '2026-01-03T00:00:00.000Z', webPort: 8080, placement: {}, reservations: { cpus: null, memory: null }, mounts: [],
    });
  });

  it('fills defaults: public Jupyter image, volume on, port 8888, no expiry', () => {
    const s = parse({});
    expect(s).toMatchObject({ image: DEFAULT_IMAGE, volume: true, volumePath: '/home/jovyan/work', webPort: 8888, expiresAt: null, cpus: null, memory: null, gpus: null, env: {} });
  });

  it('accepts numbers and all GPU forms', () => {
    expect(parse({ cpus: 2, memory: 1073741824, gpus: 'all' })).toMatchObject({ cpus: 2, memory: 1073741824, gpus: { kind: 'all' } });
    expect(parse({ gpus: 2 }).gpus).toEqual({ kind: 'count', count: 2 });
    expect(parse({ gpus: 'device=1' }).gpus).toEqual({ kind: 'devices', ids: ['1'] });
    expect(parse({ gpus: 'none' }).gpus).toBeNull();
    expect(parse({ memory: '1.5g' }).memory).toBe(1610612736);
    expect(parse({ env: { KEY: 'v' } }).env).toEqual({ KEY: 'v' });
  });

  it.each([
    [{ name: 'Bad_Name' }, 'name', /is not a workspace name/],
    [{ name: 'a'.repeat(41) }, 'name', /too long.*41 > 40/],
    [{ name: '-x' }, 'name', /not a workspace name/],
    [{ name: '' }, 'name', /cannot be empty/],
    [{ user: '9lives' }, 'user', /must start with a letter/],
    [{ user: 'a.b' }, 'user', /not a user name/],
    [{ image: 'UPPER/Case' }, 'image', /not an image reference/],
    [{ image: 'img:tag with space' }, 'image', /not an image reference/],
    [{ cpus: '0' }, 'cpus', /more than 0/],
    [{ cpus: -1 }, 'cpus', /more than 0/],
    [{ cpus: 'lots' }, 'cpus', /"lots" is not a number of CPUs/],
    [{ cpus: 5000 }, 'cpus', /more than 1024/],
    [{ memory: '12x' }, 'memory', /^memory: "12x" is not a size \(use 512m, 2g, …\)$/],
    [{ memory: '1k' }, 'memory', /at least 6m/],
    [{ shm: 'big' }, 'shm', /"big" is not a size/],
    [{ gpus: 'x y' }, 'gpus', /not a GPU request/],
    [{ gpus: '0,0' }, 'gpus', /names a GPU twice/],
    [{ gpus: '1000' }, 'gpus', /more than 64/],
    [{ env: ['NOEQUALS'] }, 'env', /not KEY=VALUE/],
    [{ env: ['1BAD=x'] }, 'env', /not a variable name/],
    [{ env: ['A=line\nbreak'] }, 'env', /NUL or newline/],
    [{ env: ['A=nul\u0000'] }, 'env', /NUL or newline/],
    [{ env: ['JUPYTER_TOKEN=x'] }, 'env', /reserved for the hub/],
    [{ env: ['HUBDECK_BASE_URL=/'] }, 'env', /reserved/],
    [{ env: ['A=1', 'A=2'] }, 'env', /set twice/],
    [{ days: 0 }, 'days', /more than 0/],
    [{ days: 99999 }, 'days', /at most 3650/],
    [{ days: 'two' }, 'days', /must be a number of days/],
    [{ webPort: 70000 }, 'webPort', /not a port/],
    [{ webPort: 'http' }, 'webPort', /not a port/],
    [{ volumePath: 'relative' }, 'volumePath', /not an absolute path/],
    [{ volumePath: '/a/../etc' }, 'volumePath', /may not contain/],
    [{ volume: 'yes' }, 'volume', /true or false/],
    [{ color: 'blue' }, 'color', /unknown field/],
  ])('refuses %j naming the field', (extra, field, message) => {
    const e = errorOf(extra);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(e.message).toMatch(message);
  });

  it('names a missing required field', () => {
    expect(() => parseWorkspaceRequest({ user: 'alice' }, { now })).toThrow(/^name: is required$/);
  });
});

describe('spec v2 fields', () => {
  it('takes placement, reservations and mounts in their text and object forms', () => {
    const s = parse({
      cpus: 2, memory: '1g', placement: ['gpu=a100', 'zone=eu-1'], reservations: { cpus: '0.5', memory: '512m' },
      mounts: ['datasets:/data:ro', '/srv/models:/models', { source: 'scratch', target: '/scratch/' }],
    });
    expect(s.placement).toEqual({ gpu: 'a100', zone: 'eu-1' });
    expect(s.reservations).toEqual({ cpus: 0.5, memory: 512 * 1024 ** 2 });
    expect(s.mounts).toEqual([
      { type: 'volume', source: 'datasets', target: '/data', readOnly: true },
      { type: 'bind', source: '/srv/models', target: '/models', readOnly: false },
      { type: 'volume', source: 'scratch', target: '/scratch', readOnly: false },
    ]);
    expect(parse({ placement: { 'node.example.com/pool': 'gpu' } }).placement).toEqual({ 'node.example.com/pool': 'gpu' });
  });

  it.each([
    [{ placement: ['gpu'] }, 'placement', /^placement: "gpu" is not key=value$/],
    [{ placement: ['gpu=a 100'] }, 'placement', /is not a node label value/],
    [{ cpus: 1, reservations: { cpus: 2 } }, 'reservations.cpus', /^reservations.cpus: 2 is more than the cpus limit 1$/],
    [{ memory: '1g', reservations: { memory: '2g' } }, 'reservations.memory', /more than the memory limit/],
    [{ mounts: ['data'] }, 'mounts', /is not a mount/],
    [{ mounts: ['../x:/data'] }, 'mounts', /is not a volume name/],
    [{ mounts: ['/a/../b:/data'] }, 'mounts', /may not contain ".."/],
    [{ mounts: ['data:relative'] }, 'mounts', /is not an absolute path/],
    [{ mounts: ['data:/'] }, 'mounts', /cannot replace the root/],
    [{ mounts: ['a:/x', 'b:/x'] }, 'mounts', /\/x is mounted twice/],
    [{ mounts: ['a:/home/jovyan/work'] }, 'mounts', /mounted twice/],
    [{ mounts: [{ source: 'a', target: '/x', rw: true }] }, 'mounts', /rw: unknown field/],
    [{ reservations: { gpus: 1 } }, 'reservations.gpus', /unknown field/],
  ])('refuses %j', (extra, field, message) => {
    const e = errorOf(extra);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
});

describe('decodeSpec', () => {
  it('round-trips a v2 spec and says why it cannot read others', () => {
    const s = parse({ cpus: 1, days: 1, placement: ['a=b'] });
    expect(decodeSpec(JSON.stringify(s), '2')).toEqual({ spec: s, issue: null });
    expect(decodeSpec('{"name":1}', '2')).toEqual({ spec: null, issue: 'its spec label does not match spec version 2' });
    expect(decodeSpec('not json', '2')).toEqual({ spec: null, issue: 'its spec label is not valid JSON' });
    expect(decodeSpec(undefined, '2')).toEqual({ spec: null, issue: 'the workspace has no spec label' });
    expect(decodeSpec(JSON.stringify(s), '7').issue).toBe('its spec label has version 7, which this Hubdeck cannot read (it reads 1, 2)');
  });

  it('upgrades what version 1 wrote', () => {
    // Exactly the spec label the landed v1 code wrote for `--cpus 1.5 --memory 512m --days 1`.
    const v1 = '{"name":"gpu1","user":"alice","image":"hubdeck-test/busybox-web:3","cpus":1.5,"memory":536870912,"shm":null,"gpus":null,"env":{},"volume":true,"volumePath":"/home/jovyan/work","expiresAt":"2026-01-02T00:00:00.000Z","webPort":8888}';
    const { spec } = decodeSpec(v1, '1');
    expect(spec).toMatchObject({ name: 'gpu1', cpus: 1.5, memory: 536870912, placement: {}, reservations: { cpus: null, memory: null }, mounts: [] });
    expect(decodeSpec(v1, '2').spec).toBeNull(); // a v1 body under a v2 label is not silently accepted
  });
});

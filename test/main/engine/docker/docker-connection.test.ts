import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveDockerConnection, type ConnectionInputs } from '../../../../main/engine/docker/docker-connection';

function inputs(over: Partial<ConnectionInputs>, files: Record<string, string> = {}): ConnectionInputs {
  return {
    env: {}, homeDir: '/home/u', platform: 'linux', osUser: 'u',
    readFile: (p) => (p in files ? Buffer.from(files[p]!) : null),
    ...over,
  };
}
const ctxId = (name: string) => createHash('sha256').update(name).digest('hex');

describe('resolveDockerConnection', () => {
  it('defaults to the local socket', () => {
    expect(resolveDockerConnection(inputs({}))).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(resolveDockerConnection(inputs({ platform: 'win32' }))).toMatchObject({ kind: 'npipe' });
  });

  it('prefers an explicit host over DOCKER_HOST', () => {
    const c = resolveDockerConnection(inputs({ host: 'unix:///tmp/d.sock', env: { DOCKER_HOST: 'tcp://x:2375' } }));
    expect(c).toMatchObject({ kind: 'unix', socketPath: '/tmp/d.sock' });
  });

  it('reads DOCKER_HOST with TLS from DOCKER_CERT_PATH', () => {
    const c = resolveDockerConnection(inputs(
      { env: { DOCKER_HOST: 'tcp://build:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } },
      { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' },
    ));
    expect(c).toMatchObject({ kind: 'tcp', host: 'build', port: 2376, verify: true });
    expect(c.kind === 'tcp' && c.tls?.ca?.toString()).toBe('CA');
  });

  // Issue 18 item 7: DOCKER_TLS_VERIFY=1 without DOCKER_CERT_PATH looked in ~/.docker, not in
  // $DOCKER_CONFIG as the docker CLI does (its default cert path is its config directory).
  it('reads the TLS files from $DOCKER_CONFIG when DOCKER_CERT_PATH is unset, as the docker CLI does', () => {
    const c = resolveDockerConnection(inputs(
      { env: { DOCKER_HOST: 'tcp://build:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: '/etc/dk' } },
      { '/etc/dk/ca.pem': 'CA', '/etc/dk/cert.pem': 'CERT', '/etc/dk/key.pem': 'KEY', '/home/u/.docker/ca.pem': 'WRONG' },
    ));
    expect(c).toMatchObject({ kind: 'tcp', verify: true });
    expect(c.kind === 'tcp' && c.tls?.ca?.toString()).toBe('CA');
    expect(c.kind === 'tcp' && c.tls?.key?.toString()).toBe('KEY');
  });

  it('refuses TLS verification without a CA', () => {
    expect(() => resolveDockerConnection(inputs({ env: { DOCKER_HOST: 'tcp://b:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/none' } })))
      .toThrow(/ca.pem was not found/);
  });

  it('parses ssh:// with user and port, defaulting the user to the OS user', () => {
    expect(resolveDockerConnection(inputs({ host: 'ssh://deploy@gpu-box:2222' }))).toMatchObject({ kind: 'ssh', host: 'gpu-box', port: 2222, username: 'deploy' });
    expect(resolveDockerConnection(inputs({ host: 'ssh://gpu-box' }))).toMatchObject({ username: 'u', port: 22 });
  });

  it('uses the current docker context and its TLS files', () => {
    const id = ctxId('remote');
    const c = resolveDockerConnection(inputs({}, {
      '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'remote' }),
      [`/home/u/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: 'tcp://ctx-host:2376' } } }),
      [`/home/u/.docker/contexts/tls/${id}/docker/ca.pem`]: 'CA',
    }));
    expect(c).toMatchObject({ kind: 'tcp', host: 'ctx-host', verify: true });
    expect(c.description).toContain('context remote');
  });

  it('DOCKER_CONTEXT wins over config.json; "default" means the local socket', () => {
    const files = { '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'missing' }) };
    expect(resolveDockerConnection(inputs({ env: { DOCKER_CONTEXT: 'default' } }, files))).toMatchObject({ kind: 'unix' });
    expect(() => resolveDockerConnection(inputs({}, files))).toThrow(/context "missing" does not exist/);
  });

  it('names the source of a bad host', () => {
    expect(() => resolveDockerConnection(inputs({ env: { DOCKER_HOST: 'ftp://x' } }))).toThrow(/^DOCKER_HOST: .*unsupported scheme/);
    expect(() => resolveDockerConnection(inputs({ host: 'not a url' }))).toThrow(/^docker host: "not a url" is not a Docker host/);
  });
});

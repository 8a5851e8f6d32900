// What callers ask of a HubInfo (main/api/hub-info.ts), decided by the hub's capabilities: the SSH
// gateway or its refusal, what runs the workspaces, and the lines of `hub info`.
import { describe, expect, it } from 'vitest';
import { HUBDECK_CAPABILITIES, NO_CAPABILITIES, UnavailableError } from '../../../main/api/capabilities';
import type { HubInfo } from '../../../main/api/dto';
import { engineDescription, hubInfoLines, sshOf } from '../../../main/api/hub-info';

const ssh = { hostKey: 'ssh-ed25519 AAAA', fingerprint: 'SHA256:abc', listen: null, alias: 'lab' };
const hubdeck: HubInfo = {
  hubId: 'lab', version: '0.1.0', user: { name: 'ann', admin: true }, capabilities: HUBDECK_CAPABILITIES, ssh, web: null,
  engine: { kind: 'fake', description: 'fake engine', capabilities: { gpuRequests: [], execEnv: true, execWorkdir: true, placement: false, reservations: { cpus: false, memory: false }, mutableExpiry: true, bindMounts: false } },
};
const bare: HubInfo = { ...hubdeck, engine: null, capabilities: NO_CAPABILITIES };
const jupyterhub: HubInfo = {
  ...bare, ssh: null, version: '3.1.1', user: { name: 'ann', admin: false },
  capabilities: { ...NO_CAPABILITIES, product: 'JupyterHub', runsOn: 'its spawner runs the servers', why: { ssh: 'it runs no Hubdeck SSH gateway' } },
};

describe('hub info', () => {
  it('gives the SSH gateway only where the hub has the ability, whatever else the info carries', () => {
    expect(sshOf(hubdeck)).toBe(ssh);
    expect(() => sshOf(bare)).toThrow(UnavailableError);
    expect(() => sshOf(bare)).toThrow('SSH: not available on a hub of this kind');
    expect(() => sshOf(jupyterhub)).toThrow('SSH: not available on a JupyterHub (it runs no Hubdeck SSH gateway)');
    const { capabilities: _, ...old } = hubdeck;
    expect(sshOf(old as HubInfo)).toBe(ssh);
  });

  it('says what runs the workspaces', () => {
    expect(engineDescription(hubdeck)).toBe('fake engine');
    expect(engineDescription(jupyterhub)).toBe('JupyterHub 3.1.1 (its spawner runs the servers)');
    expect(engineDescription(bare)).toBe('an unknown engine');
  });

  it('prints hub info from the capabilities', () => {
    expect(hubInfoLines(hubdeck)).toEqual([
      'hub lab (hubdeck 0.1.0) on fake engine; you are ann (admin)',
      'SSH gateway: on demand (hubdeck ssh-proxy); host key SHA256:abc (ssh-ed25519)',
      'web: not served now (the app, hubdeck ui or hub serve serve it)',
    ]);
    expect(hubInfoLines({ ...hubdeck, web: { hub: 'http://127.0.0.1:8586', workspaceHost: '*.localhost' } })[2]).toBe('web: http://127.0.0.1:8586; workspaces each on its own origin under *.localhost');
    expect(hubInfoLines(jupyterhub)).toEqual([
      'hub lab (JupyterHub 3.1.1) on JupyterHub 3.1.1 (its spawner runs the servers); you are ann',
      'SSH: not available on a JupyterHub (it runs no Hubdeck SSH gateway)',
    ]);
    expect(hubInfoLines(bare)).toEqual(['hub lab (hub of this kind 0.1.0) on an unknown engine; you are ann (admin)', 'SSH: not available on a hub of this kind']);
  });

  it('lists the nodes, with their GPUs, where there are several or any has GPUs', () => {
    const node = (name: string, gpus: number) => ({ name, cpus: 2, memory: 8 * 1024 ** 3, gpus, labels: {} });
    const swarm = (nodes: ReturnType<typeof node>[]) => ({ ...hubdeck, engine: { ...hubdeck.engine!, nodes } });
    expect(hubInfoLines(swarm([node('vm', 0), node('gpu1', 2), node('gpu2', 1)]))[1]).toBe('nodes: vm (2 CPUs, 8 GiB); gpu1 (2 CPUs, 8 GiB, 2 GPUs); gpu2 (2 CPUs, 8 GiB, 1 GPU)');
    expect(hubInfoLines(swarm([node('box', 1)]))[1]).toBe('nodes: box (2 CPUs, 8 GiB, 1 GPU)');
    expect(hubInfoLines(swarm([node('laptop', 0)]))).toHaveLength(3);
  });
});

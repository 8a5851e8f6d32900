// "Share this hub" for real, on loopback: the in-process hub served over TLS with its generated
// certificate and the SSH gateway; a teammate created with a quota and invited; the invite
// redeemed by a remote client through the pinned certificate; stopping closes only the LAN doors.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalHub, type LocalHub } from '../../../main/server/local-hub';
import { formatFingerprint } from '../../../main/client/pinned-agent';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { decodeInvite } from '../../../main/core/invite-link';
import { inviteTeammate, lanAddresses, startSharing, type Sharing } from '../../../main/shell/lan-share';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'share-'));
let local: LocalHub;
let sharing: Sharing;

const iface = (address: string, internal = false): os.NetworkInterfaceInfo =>
  ({ address, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null });

beforeAll(async () => {
  local = await openLocalHub({ admin: 'lead', env: {}, dataDir, engine: 'fake' });
});
afterAll(async () => {
  await local.client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(false); });
  s.on('error', () => resolve(true));
});

describe('sharing the local hub', () => {
  it('picks LAN addresses: private IPv4 first, no loopback or link-local', () => {
    expect(lanAddresses({ lo: [iface('127.0.0.1', true)], eth0: [iface('203.0.113.7'), iface('169.254.3.3')], wlan0: [iface('192.168.1.20')] })).toEqual(['192.168.1.20', '203.0.113.7']);
    expect(lanAddresses({ lo: [iface('127.0.0.1', true)] })).toEqual([]);
  });

  it("never offers a container or VM bridge (a teammate cannot reach it) and puts the default route's interface first", () => {
    const machine = {
      lo: [iface('127.0.0.1', true)], docker0: [iface('172.17.0.1')], 'br-3f2a9c1d4e5b': [iface('172.18.0.1')],
      'cni-podman0': [iface('10.88.0.1')], virbr0: [iface('192.168.122.1')], vethab12: [iface('10.213.0.1')],
      wlan0: [iface('10.40.2.17')], eth0: [iface('192.168.1.20')],
    };
    expect(lanAddresses(machine)).toEqual(['10.40.2.17', '192.168.1.20']);
    expect(lanAddresses(machine, ['eth0'])).toEqual(['192.168.1.20', '10.40.2.17']);
    expect(lanAddresses({ docker0: [iface('172.17.0.1')] })).toEqual([]);
  });

  it('refuses to share without a LAN address', async () => {
    await expect(startSharing(local.hub, { dataDir, interfaces: { lo: [iface('127.0.0.1', true)] } })).rejects.toThrow(/no LAN address/);
  });

  it('serves the hub over TLS with the SSH gateway; a teammate with a quota joins by invite through the pinned certificate', async () => {
    sharing = await startSharing(local.hub, { dataDir, host: '127.0.0.1', port: 0, sshPort: 0, advertise: '127.0.0.1', interfaces: {} });
    expect(sharing.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sharing.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fs.statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect((await local.client.info()).ssh?.listen).toBe(sharing.sshAddress);

    const made = await inviteTeammate(local.client, { user: 'carol', create: { quota: { maxWorkspaces: 1, cpus: 2 } }, hours: 2 });
    expect(made.link).toBe(`hubdeck://join?invite=${made.invite}`);
    expect(made.command).toBe(`hubdeck hub join ${made.invite}`);
    const inv = decodeInvite(made.invite);
    expect(inv).toMatchObject({ url: sharing.url, user: 'carol', fingerprint: sharing.fingerprint.replace(/:/g, '') });

    const anonymous = remoteHubClient({ url: inv.url, token: inv.code, fingerprint: formatFingerprint(inv.fingerprint!) });
    const redeemed = await anonymous.redeemInvite({ body: { code: inv.code } });
    await anonymous.close();
    const carol = remoteHubClient({ url: inv.url, token: redeemed.token.token, fingerprint: sharing.fingerprint });
    expect((await carol.info()).user).toEqual({ name: 'carol', admin: false });
    expect((await carol.getUser({ user: 'carol' })).quota).toEqual({ maxWorkspaces: 1, cpus: 2 });
    await expect(carol.listUsers()).rejects.toMatchObject({ code: 'forbidden' });
    await carol.close();

    // A client pinning another certificate never gets to send its token.
    const wrong = remoteHubClient({ url: inv.url, token: redeemed.token.token, fingerprint: 'AB'.repeat(32) });
    await expect(wrong.info()).rejects.toThrow(/expected AB:AB/);
    await wrong.close();
  });

  it('stops sharing: the LAN listeners close, invites need sharing again, the local hub keeps running', async () => {
    const port = Number(new URL(sharing.url).port);
    const sshPort = Number(sharing.sshAddress.split(':').at(-1));
    await sharing.stop();
    expect(await refused(port)).toBe(true);
    expect(await refused(sshPort)).toBe(true);
    await expect(inviteTeammate(local.client, { user: 'carol' })).rejects.toThrow(/not shared on the LAN; share it first/);
    expect(await local.client.listInvites()).toHaveLength(0);
    expect(await local.client.listWorkspaces()).toEqual([]);
  });
});

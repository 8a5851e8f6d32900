/**
 * The ssh config file on disk: what is refused before anything is written, atomic 0600 writes with
 * a backup, symlinked configs written through, other hubs' entries kept, and the dry-run diff.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { findBlock, withBlock } from '../../../main/access/ssh-config-block';
import { backupPath, readSshConfig, regionDiff, writeSshConfig } from '../../../main/access/ssh-config-file';
import { mergedBlockLines, tcpReach, workspaceEntries, type HubSshPlan } from '../../../main/access/ssh-hub-entries';
import { publicBlobOf, loadHostKey, parseableKeyPair } from '../../../main/hub/host-key';
import { utils } from 'ssh2';
import { ensureIdentity, writeKnownHosts } from '../../../main/access/ssh-identity';

let home: string;
beforeEach(() => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshcfg-')));
});

const plan = (hubAlias: string): HubSshPlan => ({ hubAlias, user: 'alice', reach: { hostName: 'hub.example.org', port: 2222 }, dir: path.join(home, '.ssh', 'hubdeck') });

describe('the ssh config file', () => {
  it('writes atomically with mode 0600 and keeps the previous text as a backup', () => {
    const file = path.join(home, 'config');
    fs.writeFileSync(file, 'Host x\n  User y\n', { mode: 0o644 });
    const c = readSshConfig(file, home);
    const next = withBlock(c.text, mergedBlockLines(c.text, 'lab', workspaceEntries(plan('lab'), ['nb'])));
    writeSshConfig(c, next);
    expect(fs.readFileSync(file, 'utf8')).toBe(next);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(backupPath(c), 'utf8')).toBe('Host x\n  User y\n');
    expect(fs.readdirSync(home).sort()).toEqual(['config', 'config.hubdeck-backup']);
  });

  it('writes through a symlink inside home, and refuses one that dangles or leads out of home', () => {
    const real = path.join(home, 'dotfiles', 'ssh_config');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, 'Host x\n');
    const link = path.join(home, 'config');
    fs.symlinkSync(real, link);
    const c = readSshConfig(link, home);
    writeSshConfig(c, 'Host y\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('Host y\n');

    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-outside-'));
    fs.writeFileSync(path.join(outside, 'c'), 'Host z\n');
    const odd = path.join(home, 'odd');
    fs.symlinkSync(path.join(outside, 'c'), odd);
    expect(() => readSshConfig(odd, home)).toThrow(/is a symlink to .*, outside your home directory; the file was not changed/);
    const dangling = path.join(home, 'dangling');
    fs.symlinkSync(path.join(home, 'nowhere'), dangling);
    expect(() => readSshConfig(dangling, home)).toThrow(/which does not exist/);
    fs.mkdirSync(path.join(home, 'adir'));
    expect(() => readSshConfig(path.join(home, 'adir'), home)).toThrow(/not a regular file/);
    expect(readSshConfig(path.join(home, 'absent'), home)).toMatchObject({ existed: false, text: '' });
  });

  it("rewrites one hub's entries and keeps the others'; removing the last leaves the file as it was", () => {
    const before = '\uFEFFInclude ~/.ssh/extra\r\nHost *\r\n  ForwardAgent no\r\n';
    const lab = (names: string[], text: string) => withBlock(text, mergedBlockLines(text, 'lab', workspaceEntries(plan('lab'), names)));
    const team = (names: string[], text: string) => {
      const lines = mergedBlockLines(text, 'team', workspaceEntries(plan('team'), names));
      return withBlock(text, lines.length ? lines : null);
    };
    let text = lab(['a', 'b'], before);
    text = team(['c'], text);
    expect(text.match(/^Host \S+/gm)).toEqual(['Host a.lab', 'Host b.lab', 'Host c.team', 'Host *']);
    text = lab(['b'], text);
    expect(text.match(/^Host \S+/gm)).toEqual(['Host c.team', 'Host b.lab', 'Host *']);
    expect(lab(['b'], text)).toBe(text);
    text = lab([], text);
    text = team([], text);
    expect(findBlock(text)).toBeNull();
    expect(text).toBe(before);
  });

  it('shows a dry run as the changed region only', () => {
    const before = 'A\nB\nHost x\n';
    const after = withBlock(before, workspaceEntries(plan('lab'), ['nb']).length ? mergedBlockLines(before, 'lab', workspaceEntries(plan('lab'), ['nb'])) : null);
    const diff = regionDiff('cfg', before, after);
    expect(diff.split('\n').slice(0, 4)).toEqual(['--- cfg', '+++ cfg (after)', '@@ line 3 @@', expect.stringMatching(/^\+# -+ BEGIN HUBDECK/)]);
    expect(diff).not.toMatch(/^[-+]A$/m);
    expect(regionDiff('cfg', before, before)).toBe('');
  });

  it('reaches a gateway listening on every address by the hub URL host name', () => {
    expect(tcpReach('0.0.0.0:2222', 'https://lead-laptop.lan:8585')).toEqual({ hostName: 'lead-laptop.lan', port: 2222 });
    expect(tcpReach('[::]:2222', 'https://[fd00::1]:8585')).toEqual({ hostName: 'fd00::1', port: 2222 });
    expect(tcpReach('10.0.0.5:22', 'https://hub:8585')).toEqual({ hostName: '10.0.0.5', port: 22 });
    expect(() => tcpReach(null, 'https://hub:8585')).toThrow(/serves no SSH gateway; .* --ssh-listen/);
  });
});

describe('keys', () => {
  it("makes the hub's host key once, 0600, and reads its public half from the key file", async () => {
    const dir = path.join(home, 'hub');
    const [a, b] = await Promise.all([loadHostKey(dir), loadHostKey(dir)]);
    expect(a).toEqual(b);
    expect(a.publicKey).toMatch(/^ssh-ed25519 AAAA/);
    expect(a.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fs.statSync(path.join(dir, 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
    expect(publicBlobOf(a.privateKey)!.toString('base64')).toBe(a.publicKey.split(' ')[1]);
    // RSA and ECDSA beside ed25519 (clients without ed25519), each made once, 0600, and named by its type.
    expect(a.keys.map((k) => k.publicKey.split(' ')[0])).toEqual(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256']);
    for (const [k, file] of a.keys.map((k, i) => [k, ['ssh_host_ed25519_key', 'ssh_host_rsa_key', 'ssh_host_ecdsa_key'][i]!] as const)) {
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
      expect(utils.parseKey(k.privateKey)).toMatchObject({ type: k.type });
      expect(publicBlobOf(k.privateKey)!.toString('base64')).toBe(k.publicKey.split(' ')[1]);
    }
    expect(new Set(a.keys.map((k) => k.fingerprint)).size).toBe(3);
    expect(publicBlobOf('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----')).toBeNull();
    fs.chmodSync(path.join(dir, 'ssh_host_ed25519_key'), 0o644);
    await expect(loadHostKey(dir)).rejects.toThrow(/readable by others/);
  });

  it('never hands out a key ssh2 cannot read back (its generator makes one about every 300)', () => {
    for (let i = 0; i < 600; i++) expect(utils.parseKey(parseableKeyPair('k').private)).not.toBeInstanceOf(Error);
  });

  it('makes a client identity once and a known_hosts naming the gateway', () => {
    const file = path.join(home, '.ssh', 'hubdeck', 'lab_ed25519');
    const a = ensureIdentity(file, 'hubdeck alice@lab');
    expect(ensureIdentity(file, 'hubdeck alice@lab')).toEqual(a);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    fs.chmodSync(file, 0o640);
    expect(() => ensureIdentity(file, 'x')).toThrow(/readable by others/);
    const known = path.join(home, '.ssh', 'hubdeck', 'lab_known_hosts');
    writeKnownHosts(known, 'gateway.lab', ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample', 'ssh-rsa AAAAB3NzaC1yc2EAAAADExample']);
    expect(fs.readFileSync(known, 'utf8')).toBe('gateway.lab ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\ngateway.lab ssh-rsa AAAAB3NzaC1yc2EAAAADExample\n');
  });
});

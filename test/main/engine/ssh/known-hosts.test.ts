import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyHostKey } from '../../../../main/engine/ssh/known-hosts';

// Real keys and a known_hosts file hashed by OpenSSH's own ssh-keygen.
let dir: string;
let key: Buffer;
let other: Buffer;
let line: string;

function makeKey(name: string): { blob: Buffer; pub: string } {
  const f = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', f]);
  const pub = fs.readFileSync(`${f}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return { blob: Buffer.from(pub.split(' ')[1]!, 'base64'), pub };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'));
  const k = makeKey('host');
  key = k.blob;
  other = makeKey('other').blob;
  line = `[gpu-box]:2222 ${k.pub}\nplain.example ${k.pub}\n`;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('verifyHostKey', () => {
  it('matches plain entries with and without a port', () => {
    expect(verifyHostKey([line], 'gpu-box', 2222, key)).toBe('match');
    expect(verifyHostKey([line], 'plain.example', 22, key)).toBe('match');
    expect(verifyHostKey([line], 'gpu-box', 22, key)).toBe('unknown');
  });

  it('detects a changed key', () => {
    expect(verifyHostKey([line], 'gpu-box', 2222, other)).toBe('mismatch');
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const f = path.join(dir, 'known_hosts');
    fs.writeFileSync(f, line);
    execFileSync('ssh-keygen', ['-H', '-f', f], { stdio: 'pipe' });
    const hashed = fs.readFileSync(f, 'utf8');
    expect(hashed).not.toContain('gpu-box');
    expect(verifyHostKey([hashed], 'gpu-box', 2222, key)).toBe('match');
    expect(verifyHostKey([hashed], 'gpu-box', 2222, other)).toBe('mismatch');
  });

  it('honours wildcards, negation and @revoked', () => {
    const pub = `ssh-ed25519 ${key.toString('base64')}`;
    expect(verifyHostKey([`*.lab,!bad.lab ${pub}`], 'a.lab', 22, key)).toBe('match');
    expect(verifyHostKey([`*.lab,!bad.lab ${pub}`], 'bad.lab', 22, key)).toBe('unknown');
    expect(verifyHostKey([`@revoked * ${pub}`, `h ${pub}`], 'h', 22, key)).toBe('revoked');
  });
});

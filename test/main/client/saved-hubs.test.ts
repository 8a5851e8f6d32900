// The CLI's hubs.json: saved-hub records with their tokens, 0600; a file of the first layout
// (version 1: no kind before JupyterHubs, a JupyterHub's version and options flat) keeps working and
// becomes version 2 on the next write; a file from a newer CLI is refused, not overwritten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findSavedHub, readSavedHubs, removeSavedHub, saveHub, SAVED_HUBS_VERSION } from '../../../main/client/saved-hubs';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function hubsFile(content?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-saved-'));
  dirs.push(dir);
  const file = path.join(dir, 'hubs.json');
  if (content !== undefined) fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const FP = 'AB'.repeat(32);
/** A version 1 file as `hubdeck hub join` and `hubdeck hub add --jupyterhub` wrote it. */
const V1 = {
  version: 1,
  hubs: [
    { name: 'lead', url: 'https://lead:8585', fingerprint: null, user: 'ann', hubId: 'h1', token: 't', addedAt: '2026-01-01T00:00:00Z' },
    { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: FP, user: 'bob', hubId: 'hub-team', token: 'hdk_x', addedAt: '2026-02-01T00:00:00Z' },
    { name: 'jh', kind: 'jupyterhub', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'jupyterhub', token: 'j', addedAt: '2026-03-01T00:00:00Z', version: '3.0.0', options: { form: 'mlhub', defaults: { a: 1 } } },
  ],
};

describe('saved hubs', () => {
  it('reads a file without kinds as Hubdeck hubs, and saves and removes JupyterHubs', () => {
    const file = hubsFile();
    const old = { name: 'lead', url: 'https://lead:8585', fingerprint: null, user: 'ann', hubId: 'h1', token: 't', addedAt: '2026-01-01T00:00:00Z' };
    fs.writeFileSync(file, JSON.stringify({ version: 1, hubs: [old] }));
    expect(readSavedHubs(file)).toEqual([{ ...old, kind: 'hubdeck' }]);
    saveHub(file, { ...old, name: 'jh', kind: 'jupyterhub', jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { a: 1 } } } });
    expect(readSavedHubs(file).map((h) => [h.name, h.kind, h.jupyterhub?.options.form ?? null])).toEqual([['lead', 'hubdeck', null], ['jh', 'jupyterhub', 'mlhub']]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(removeSavedHub(file, 'jh')).toBe(true);
    expect(removeSavedHub(file, 'jh')).toBe(false);
    expect(readSavedHubs(file).map((h) => h.name)).toEqual(['lead']);
  });

  it('reads a version 1 file as records, finds hubs by name or URL, and writes version 2 on the next save', () => {
    const file = hubsFile(V1);
    const hubs = readSavedHubs(file);
    expect(hubs).toEqual([
      { ...V1.hubs[0], kind: 'hubdeck' },
      V1.hubs[1],
      { name: 'jh', kind: 'jupyterhub', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'jupyterhub', token: 'j', addedAt: '2026-03-01T00:00:00Z', jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { a: 1 } } } },
    ]);
    expect(findSavedHub(file, 'team')?.token).toBe('hdk_x');
    expect(findSavedHub(file, 'https://10.0.0.5:8585/')?.name).toBe('team');
    expect(findSavedHub(file, 'nobody')).toBeNull();
    // Reading leaves the file as it was; a write brings it to the current layout, every hub kept.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(V1);
    saveHub(file, { name: 'more', kind: 'hubdeck', url: 'https://more:8585', fingerprint: null, user: 'cy', hubId: 'm', token: 'm', addedAt: '2026-04-01T00:00:00Z' });
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; hubs: unknown[] };
    expect(written.version).toBe(SAVED_HUBS_VERSION);
    expect(written.hubs).toEqual([...hubs, expect.objectContaining({ name: 'more' })]);
    expect(readSavedHubs(file)).toEqual(written.hubs);
  });

  it('normalizes a pin written in another form; refuses a damaged file and one from a newer CLI', () => {
    const colons = { ...V1, hubs: [{ ...V1.hubs[1], fingerprint: 'ab:'.repeat(31) + 'ab' }] };
    expect(readSavedHubs(hubsFile(colons))[0]!.fingerprint).toBe(FP);
    expect(readSavedHubs(hubsFile())).toEqual([]);
    expect(() => readSavedHubs(hubsFile('{"version": 2, "hubs": ['))).toThrow(/hubs\.json is damaged \(.*\); fix it or remove it and join again/);
    expect(() => readSavedHubs(hubsFile({ version: 2, hubs: [{ ...V1.hubs[1], fingerprint: 'AB:CD' }] }))).toThrow(/is damaged \(must be a SHA-256 fingerprint/);
    expect(() => readSavedHubs(hubsFile({ version: 2, hubs: [{ ...V1.hubs[2] }] }))).toThrow(/is damaged \(a JupyterHub needs its jupyterhub settings/);
    const newer = hubsFile({ version: 3, hubs: [] });
    expect(() => readSavedHubs(newer)).toThrow(/written by a newer Hubdeck \(version 3\); this one reads up to 2/);
    expect(() => saveHub(newer, V1.hubs[1] as never)).toThrow(/newer Hubdeck/);
    expect(JSON.parse(fs.readFileSync(newer, 'utf8'))).toEqual({ version: 3, hubs: [] });
  });
});

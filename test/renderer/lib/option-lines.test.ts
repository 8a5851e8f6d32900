// renderer/src/lib/option-lines.ts: a JupyterHub's option lines and default options, parsed and checked.
import { describe, expect, it } from 'vitest';
import { parseDefaultOptions, parseOptionLines } from '../../../renderer/src/lib/option-lines';

describe('option lines', () => {
  it('reads KEY=VALUE lines, JSON values as JSON and the rest as text', () => {
    const r = parseOptionLines('delay=2\n\n  fail = true \nimage=jupyter/base:latest\nextra={"a":[1,2]}\nquoted="7"\nempty=\nurl=http://x/?a=b');
    expect(r).toEqual({ ok: true, value: { delay: 2, fail: true, image: 'jupyter/base:latest', extra: { a: [1, 2] }, quoted: '7', empty: '', url: 'http://x/?a=b' } });
  });

  it('names the line that is not KEY=VALUE', () => {
    expect(parseOptionLines('a=1\njust text')).toEqual({ ok: false, error: expect.stringMatching(/^Options, line 2: "just text" is not KEY=VALUE/) });
    expect(parseOptionLines('9lives=1')).toMatchObject({ ok: false, error: expect.stringContaining('"9lives=1" is not KEY=VALUE') });
    expect(parseOptionLines('=1')).toMatchObject({ ok: false });
  });

  it('keeps "__proto__" a plain key, never the prototype', () => {
    const r = parseOptionLines('__proto__={"polluted":true}');
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(r.ok && Object.keys(r.value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('default options', () => {
  it('takes a JSON object; empty text is none', () => {
    expect(parseDefaultOptions('  ')).toEqual({ ok: true, value: undefined });
    expect(parseDefaultOptions('{"image": "jupyter/base", "cpu_limit": 2}')).toEqual({ ok: true, value: { image: 'jupyter/base', cpu_limit: 2 } });
  });

  it('says what is wrong with anything else', () => {
    expect(parseDefaultOptions('{image: 1}')).toMatchObject({ ok: false, error: expect.stringMatching(/^Default options: not valid JSON \(.+\); write an object like/) });
    expect(parseDefaultOptions('[1]')).toMatchObject({ ok: false, error: expect.stringContaining('must be a JSON object') });
    expect(parseDefaultOptions('3')).toMatchObject({ ok: false, error: expect.stringContaining('must be a JSON object') });
    expect(parseDefaultOptions('{"bad key": 1}')).toMatchObject({ ok: false, error: expect.stringContaining('"bad key" is not an option key') });
    expect(parseDefaultOptions(JSON.stringify({ big: 'x'.repeat(17_000) }))).toMatchObject({ ok: false, error: 'Default options: at most 16 KiB of JSON' });
  });
});

import { describe, expect, it } from 'vitest';
import { SseReader, type SseEvent } from '../../../main/client/sse-reader';

function parseAll(chunks: string[]): SseEvent[] {
  const p = new SseReader();
  return chunks.flatMap((c) => p.push(c));
}

const STREAM =
  ': hello\n' +
  'event: workspace.state\nid: 1\ndata: {"a":1}\n\n' +
  ':heartbeat\n\n' +
  'data: first line\ndata: second line\n\n' +
  'event: ünïcode\ndata: ✓\nid: 2\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'workspace.state', data: '{"a":1}', id: '1' },
  { event: 'message', data: 'first line\nsecond line', id: '1' },
  { event: 'ünïcode', data: '✓', id: '2' },
];

describe('SseReader', () => {
  it('parses events, ids, multi-line data and comments', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the stream is cut', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = STREAM.replace(/\n/g, eol);
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j += 7) {
          expect(parseAll([text.slice(0, i), text.slice(i, j), text.slice(j)]), `eol ${JSON.stringify(eol)} cut at ${i},${j}`).toEqual(EXPECTED);
        }
      }
      expect(parseAll([...text])).toEqual(EXPECTED);
    }
  });

  it('treats CR then LF in the next chunk as one line break, even across empty chunks', () => {
    // Were the LF a second break, the blank line would end the event before its data.
    expect(parseAll(['event: x\r', '', '\ndata: y\r', '\n\r', '\n'])).toEqual([{ event: 'x', data: 'y', id: '' }]);
  });

  it('follows the field rules of the standard', () => {
    const events = parseAll([
      '\uFEFFdata:no space\n\n',
      'data:  two spaces\n\n',
      'data\n\n', // a field without colon has an empty value
      'event: only-type\n\n', // no data: not an event
      'id: 7\nretry: 1500\nretry: soon\nfoo: bar\ndata: x\n\n',
      'id: bad\0id\ndata: y\n\n',
    ]);
    expect(events).toEqual([
      { event: 'message', data: 'no space', id: '' },
      { event: 'message', data: ' two spaces', id: '' },
      { event: 'message', data: '', id: '' },
      { event: 'message', data: 'x', id: '7' },
      { event: 'message', data: 'y', id: '7' },
    ]);
  });

  it('keeps retry advice and the last id on the reader', () => {
    const p = new SseReader();
    p.push('retry: 2500\nid: abc\ndata: x\n\n');
    expect(p.retryMs).toBe(2500);
    expect(p.lastEventId).toBe('abc');
    // eventsource-parser drops an id that comes without data (the hub never sends one): kept as is.
    p.push('id: def\n\n');
    expect(p.lastEventId).toBe('abc');
  });

  it('drops an event that the stream ended before finishing', () => {
    const p = new SseReader();
    expect(p.push('data: half')).toEqual([]);
    expect(p.push('\n')).toEqual([]);
    p.end();
    expect(p.push('data: next\n\n')).toEqual([{ event: 'message', data: 'next', id: '' }]);
  });

  it('strips a byte-order mark only at the very start', () => {
    expect(parseAll(['data: a\n\n', '\uFEFFdata: b\n\n'])).toEqual([{ event: 'message', data: 'a', id: '' }]);
  });
});

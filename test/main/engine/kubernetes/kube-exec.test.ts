// main/engine/kubernetes/kube-exec.ts: exec exit codes and the stdin framing (run through a real sh).
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, framedStdinCommand } from '../../../../main/engine/kubernetes/kube-exec';

describe('exec helpers', () => {
  it('reads exit codes from the API server\'s status', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } })).toBe(7);
    expect(exitCodeOf(null)).toBe(-1);
  });

  it('frames stdin so the command sees exactly the bytes and then end of file', () => {
    const chunks = [Buffer.from('hello\n'), Buffer.from([0, 1, 2, 255, 10, 48]), Buffer.alloc(70_000, 'x')];
    const framed = Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length}\n`), c]), Buffer.from('0\n')]);
    const [cmd, ...args] = framedStdinCommand(['sh', '-c', 'cat; echo "[eof $1]"', 'x', 'arg one']);
    const r = spawnSync(cmd!, args, { input: framed });
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, Buffer.concat([...chunks, Buffer.from('[eof arg one]\n')]))).toBe(0);
  });

  it('ends with the command even when the input stays open (ssh host cmd), with its exit code', async () => {
    const [cmd, ...args] = framedStdinCommand(['sh', '-c', 'echo done; exit 4']);
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write('5\nhello');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.destroy();
    expect({ code, out }).toEqual({ code: 4, out: 'done\n' });
  });
});

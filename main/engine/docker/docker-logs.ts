/** Container logs as text chunks, once or followed until aborted (stdout and stderr merged). */
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { LogOptions } from '../engine';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

export async function* containerLogs(docker: Docker, container: Docker.Container, opts: LogOptions, call: Call): AsyncIterable<string> {
  // No tail means all lines (the API's default).
  const common = { stdout: true, stderr: true, tail: opts.tail, timestamps: opts.timestamps ?? false };
  const out = new PassThrough();
  if (opts.follow) {
    const stream = await call(() => container.logs({ ...common, follow: true }));
    docker.modem.demuxStream(stream, out, out);
    stream.on('end', () => out.end());
    stream.on('error', (e) => out.destroy(e));
    const stop = () => { (stream as unknown as Duplex).destroy(); out.end(); };
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener('abort', stop, { once: true });
  } else {
    const buf = await call(() => container.logs({ ...common, follow: false }));
    const src = new PassThrough();
    docker.modem.demuxStream(src, out, out);
    src.on('end', () => out.end());
    src.end(buf);
  }
  for await (const chunk of out) yield (chunk as Buffer).toString('utf8');
}

/**
 * Name resolution that knows `*.localhost` is this machine (RFC 6761), as browsers do: a local hub
 * gives each workspace its own origin there, and Node's resolver (glibc) answers ENOTFOUND for them.
 * Everything else resolves as usual.
 */
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

/** A drop-in `lookup` for http.request, net.connect, ws and undici's connector. */
export function loopbackLookup(host: string, options: LookupOptions | number | Callback, callback?: Callback): void {
  const cb = (typeof options === 'function' ? options : callback) as Callback;
  const opts: LookupOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
  if (!isLoopbackName(host)) return void dns.lookup(host, opts, cb as never);
  const v6 = opts.family === 6;
  const address = v6 ? '::1' : '127.0.0.1';
  if (opts.all) return cb(null, [{ address, family: v6 ? 6 : 4 }]);
  cb(null, address, v6 ? 6 : 4);
}

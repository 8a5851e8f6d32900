/**
 * Logs of the workspace container: the last lines, or followed until the pod goes (stop deletes
 * it, which ends the stream) or the caller aborts. A stopped workspace has no pod and no logs.
 */
import { PassThrough } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { LogOptions } from '../engine';
import type { KubeClient } from './kube-client';
import type { KubeCall } from './kube-errors';
import { CONTAINER } from './kube-names';

export async function* podLogs(client: KubeClient, pod: string, opts: LogOptions, call: KubeCall): AsyncIterable<string> {
  if (!opts.follow) {
    const text = await call(() => client.core.readNamespacedPodLog({ name: pod, namespace: client.namespace, container: CONTAINER, tailLines: opts.tail, timestamps: opts.timestamps }));
    if (text) yield text;
    return;
  }
  const out = new PassThrough();
  const ac = await call(() => new Log(client.kc).log(client.namespace, pod, CONTAINER, out, (err: unknown) => {
    if (err) out.destroy(err instanceof Error ? err : new Error(String(err)));
    else out.end();
  }, { follow: true, tailLines: opts.tail, timestamps: opts.timestamps }));
  const abort = () => { ac.abort(); out.end(); };
  if (opts.signal?.aborted) abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of out) yield (chunk as Buffer).toString('utf8');
  } catch (e) {
    if (!opts.signal?.aborted) throw e;
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    ac.abort();
  }
}

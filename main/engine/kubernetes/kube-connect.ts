/**
 * A byte stream to a port of a workspace's pod. From outside the cluster: a port-forward over the
 * API server's WebSocket (the library's PortForward; one WebSocket per connection). From a pod of
 * the same cluster: a plain TCP connection to the pod IP, which is cheaper and what the hub in a
 * cluster uses (deploy/kubernetes). A port-forward enters the pod's network namespace, so it
 * reaches the pod's loopback too; from the pod IP no address leads there, so a loopback target the
 * pod IP does not answer goes through a relay exec'd in the pod (relay.ts).
 */
import net from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { PortForward } from '@kubernetes/client-node';
import { connectByExec, connectLoopback, unfatal } from '../connect-stream';
import type { ConnectTarget, ExecSession } from '../engine';
import type { KubeClient } from './kube-client';

export type KubeConnectMode = 'port-forward' | 'pod-ip';

export interface PodRoute {
  mode: KubeConnectMode;
  to: ConnectTarget;
  /** Runs a command in the pod (the loopback relay of pod-ip mode). */
  exec: (cmd: string[]) => Promise<ExecSession>;
}

export async function connectPod(client: KubeClient, pod: { name: string; ip: string | null }, port: number, route: PodRoute): Promise<Duplex> {
  const relay = () => connectByExec(route.exec, port);
  if (route.mode === 'pod-ip' && !pod.ip && route.to === 'loopback') return relay();
  if (route.mode === 'pod-ip' && pod.ip) return route.to === 'loopback' ? connectLoopback(() => dial(pod.ip!, port), relay) : dial(pod.ip, port);
  return portForward(client, pod.name, port);
}

function dial(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => { s.off('error', reject); resolve(unfatal(s)); });
    s.once('error', reject);
  });
}

async function portForward(client: KubeClient, pod: string, port: number): Promise<Duplex> {
  const fromPod = new PassThrough();
  const toPod = new PassThrough();
  const errors = new PassThrough();
  const ws = (await new PortForward(client.kc).portForward(client.namespace, pod, [port], fromPod, errors, toPod)) as Awaited<ReturnType<PortForward['portForward']>> & { close(): void; on(e: string, f: () => void): void };
  const duplex = unfatal(new Duplex({
    read() {
      fromPod.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      toPod.write(chunk, cb);
    },
    // A half-close would end the WebSocket (protocol v4 has no half-close): keep it open until
    // the other side ends or the caller destroys the stream.
    final(cb) {
      cb();
    },
    destroy(err, cb) {
      ws.close();
      cb(err);
    },
  }));
  fromPod.on('data', (d: Buffer) => { if (!duplex.push(d)) fromPod.pause(); });
  fromPod.on('end', () => duplex.push(null));
  // The kubelet reports "connection refused" and the like on the error channel.
  errors.on('data', (d: Buffer) => duplex.destroy(new Error(`port-forward to ${pod}:${port}: ${d.toString().trim()}`)));
  ws.on('close', () => { fromPod.end(); });
  return duplex;
}

/**
 * bench:k8s — create→ready of a workspace through KubernetesEngine versus `kubectl apply` of the
 * same objects (the engine's own plan: Service, Secret, PVC, Pod — without owner references, which
 * need the root's uid) followed by the same readiness probe over the same port-forward,
 * interleaved so both see the same cluster state. Needs the test cluster
 * (scripts/start-test-cluster.sh start). Prints each run, the medians and the ratio.
 * With --no-volume both leave out the data PVC (kubectl apply of a PVC and a Pod together makes
 * the scheduler back off until the claim is bound; the engine waits for the binding first).
 *   npm run bench:k8s [-- --runs 5 --image hubdeck-test/jupyter:1 --no-volume]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dumpYaml, type KubernetesObject } from '@kubernetes/client-node';
import { parseWorkspaceRequest } from '../../main/core/workspace-spec';
import { workspaceBaseUrl } from '../../main/core/names';
import { openKubeClient } from '../../main/engine/kubernetes/kube-client';
import { connectPod } from '../../main/engine/kubernetes/kube-connect';
import { KubernetesEngine } from '../../main/engine/kubernetes/kubernetes-engine';
import { planClaim, planPod, planRoot, planSecret } from '../../main/engine/kubernetes/kube-plan';
import { waitForHttp, waitReady } from '../../main/engine/wait-ready';
import { testOrigin } from '../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../support/kube-fixture';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const RUNS = Number(arg('runs', '5'));
const IMAGE = arg('image', 'hubdeck-test/jupyter:1');
const VOLUME = !process.argv.includes('--no-volume');
const KUBECTL = process.env.KUBECTL ?? '/var/cache/hubdeck-k8s/1.20.2/bin/kubectl';
const origin = testOrigin('bk');

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = execFile(KUBECTL, ['--kubeconfig', TEST_KUBECONFIG, ...args], (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)));
    if (input !== undefined) p.stdin!.end(input);
  });
}

async function viaEngine(engine: KubernetesEngine, i: number): Promise<number> {
  const spec = parseWorkspaceRequest({ name: `e${i}`, user: 'bench', image: IMAGE, volume: VOLUME }, { now: new Date() });
  const t0 = performance.now();
  const w = await engine.create(spec);
  await waitReady(engine, w, { timeoutMs: 180_000 });
  const ms = performance.now() - t0;
  await engine.remove(w, { deleteData: true });
  return ms;
}

/** The engine's own objects, as YAML for kubectl, without owner references. */
function manifests(i: number): { yaml: string; pod: string } {
  const spec = parseWorkspaceRequest({ name: `k${i}`, user: 'bench', image: IMAGE, volume: VOLUME }, { now: new Date() });
  const root = { name: 'unused', uid: 'unused' };
  const storage = { volumeSize: '64Mi' };
  const objs: KubernetesObject[] = [planRoot(spec, origin), planSecret(spec, origin, root, randomBytes(24).toString('hex')), ...(VOLUME ? [planClaim(spec, origin, root, storage)] : []), planPod(spec, origin, root)];
  for (const o of objs) delete o.metadata!.ownerReferences;
  return { yaml: objs.map((o) => dumpYaml(o)).join('---\n'), pod: objs.at(-1)!.metadata!.name! };
}

async function viaKubectl(client: ReturnType<typeof openKubeClient>, i: number): Promise<number> {
  const { yaml, pod } = manifests(i);
  const baseUrl = workspaceBaseUrl('bench', `k${i}`);
  const t0 = performance.now();
  await kubectl(['apply', '-n', client.namespace, '-f', '-'], yaml);
  await waitForHttp({
    connect: () => connectPod(client, { name: pod, ip: null }, 8888, { mode: 'port-forward', to: 'address', exec: () => Promise.reject(new Error('no exec in the bench')) }),
    state: async () => ({ state: 'running', status: 'running' }),
    lastLogs: async () => '',
    path: baseUrl,
    label: pod,
  }, 180_000);
  const ms = performance.now() - t0;
  await kubectl(['delete', '-n', client.namespace, '--grace-period=0', '--force', '--wait', '-f', '-'], yaml).catch(() => undefined);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const admin = await requireCluster();
  const ns = await createTestNamespace(admin, 'bench');
  try {
    const engine = new KubernetesEngine({ origin, kubeconfig: TEST_KUBECONFIG, namespace: ns, volumeSize: '64Mi' });
    const client = openKubeClient({ kubeconfig: TEST_KUBECONFIG, namespace: ns });
    // Warm-up: the user's NetworkPolicy exists and the image's files are in the page cache for both.
    await viaEngine(engine, 99);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first so neither always benefits from the other's warm caches.
      const pair = i % 2 === 0 ? [() => viaEngine(engine, i), () => viaKubectl(client, i)] : [() => viaKubectl(client, i), () => viaEngine(engine, i)];
      const first = await pair[0]!();
      const second = await pair[1]!();
      const [e, k] = i % 2 === 0 ? [first, second] : [second, first];
      ours.push(e);
      theirs.push(k);
      console.log(`run ${i + 1}: KubernetesEngine ${e.toFixed(0)} ms, kubectl apply + probe ${k.toFixed(0)} ms`);
    }
    const mo = median(ours);
    const mt = median(theirs);
    console.log(`image ${IMAGE}, ${RUNS} runs each, interleaved, Service + Secret + ${VOLUME ? 'PVC + ' : ''}Pod`);
    console.log(`median create→ready: KubernetesEngine ${mo.toFixed(0)} ms, kubectl apply + probe ${mt.toFixed(0)} ms`);
    console.log(`ratio ${(mo / mt).toFixed(3)}×`);
  } finally {
    await deleteTestNamespace(admin, ns);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

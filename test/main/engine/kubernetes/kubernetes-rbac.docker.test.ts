// deploy/kubernetes grants the hub exactly what the engine needs: the whole engine contract runs
// once more with the token of the manifests' ServiceAccount, bound by the manifests' Role and
// ClusterRole (applied as they are, to a fresh namespace). A service account without them gets a
// clear "forbidden" error naming what was refused, and nothing is created.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, loadAllYaml, type KubernetesObject, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../../../main/engine/engine';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { engineContract, refusal } from '../../../support/engine-contract';
import { testOrigin } from '../../../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster } from '../../../support/kube-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const DEPLOY = path.join(__dirname, '../../../../deploy/kubernetes/base');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-rbac-'));

/** The manifests as written, placed in `ns`; cluster-scoped names made unique to this run. */
function manifests(ns: string): KubernetesObject[] {
  const objs = ['serviceaccount.yaml', 'role.yaml', 'rolebinding.yaml', 'clusterrole.yaml']
    .flatMap((f) => loadAllYaml(fs.readFileSync(path.join(DEPLOY, f), 'utf8')) as (KubernetesObject & Record<string, unknown>)[]);
  for (const o of objs) {
    if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') o.metadata!.name = `${o.metadata!.name}-${ns}`;
    else o.metadata!.namespace = ns;
    if (o.kind === 'ClusterRoleBinding') {
      (o.roleRef as { name: string }).name = `${(o.roleRef as { name: string }).name}-${ns}`;
      for (const s of o.subjects as { namespace?: string }[]) s.namespace = ns;
    }
  }
  return objs;
}

/** A kubeconfig for the admin's cluster with `token` as the user, written 0600. */
function kubeconfigWithToken(admin: KubeConfig, token: string, ns: string, name: string): string {
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name, token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: name, namespace: ns }],
    currentContext: 'ctx',
  });
  const file = path.join(tmp, `${name}.kubeconfig`);
  fs.writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

/** The token the tokens controller gives a service account (Kubernetes 1.20 makes a Secret). */
async function serviceAccountToken(core: CoreV1Api, ns: string, sa: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const secrets = await core.listNamespacedSecret({ namespace: ns, fieldSelector: 'type=kubernetes.io/service-account-token' });
    const s = secrets.items.find((x: V1Secret) => x.metadata?.annotations?.['kubernetes.io/service-account.name'] === sa && x.data?.token);
    if (s) return Buffer.from(s.data!.token!, 'base64').toString('utf8');
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no token for service account ${sa}`);
}

let admin: KubeConfig;
let ns: string;
let hubKubeconfig: string;
let nobodyKubeconfig: string;
const cleanups: (() => Promise<unknown>)[] = [];

async function setupRbac(): Promise<void> {
  if (ns) return;
  admin = await requireCluster();
  ns = await createTestNamespace(admin, 'rbac');
  const api = KubernetesObjectApi.makeApiClient(admin);
  for (const o of manifests(ns)) {
    await api.create(o);
    if (!o.metadata!.namespace) cleanups.push(() => api.delete(o));
  }
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'nobody' } } });
  hubKubeconfig = kubeconfigWithToken(admin, await serviceAccountToken(core, ns, 'hubdeck'), ns, 'hubdeck');
  nobodyKubeconfig = kubeconfigWithToken(admin, await serviceAccountToken(core, ns, 'nobody'), ns, 'nobody');
}

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  if (ns) await deleteTestNamespace(admin, ns);
  fs.rmSync(tmp, { recursive: true, force: true });
});

engineContract('kubernetes, as the ServiceAccount of deploy/kubernetes', async () => {
  await setupRbac();
  const origin = testOrigin('kr');
  return {
    // No namespace given: the kubeconfig's context names it, as in a real deployment.
    makeEngine: () => createEngine({ kind: 'kubernetes', origin, kubeconfig: hubKubeconfig, volumeSize: '64Mi', startTimeoutMs: 120_000 }),
    image: TEST_IMAGES.busybox,
    cleanup: async () => undefined,
  };
});

describe('deploy/kubernetes', () => {
  it('is accepted by the API server as written (server-side dry run of every manifest)', async () => {
    await setupRbac();
    const api = KubernetesObjectApi.makeApiClient(admin);
    // A namespace of its own: the contract's namespace already holds the real ServiceAccount and Role.
    const dry = await createTestNamespace(admin, 'dry');
    cleanups.push(() => deleteTestNamespace(admin, dry));
    const files = fs.readFileSync(path.join(DEPLOY, 'kustomization.yaml'), 'utf8').match(/^\s+- (\S+\.yaml)$/gm)!.map((l) => l.trim().slice(2));
    expect(files).toEqual(['namespace.yaml', 'serviceaccount.yaml', 'role.yaml', 'rolebinding.yaml', 'clusterrole.yaml', 'deployment.yaml', 'service.yaml']);
    const kinds: string[] = [];
    for (const f of files) {
      for (const o of loadAllYaml(fs.readFileSync(path.join(DEPLOY, f), 'utf8')) as KubernetesObject[]) {
        if (o.kind === 'Namespace') o.metadata!.name = `${dry}-x`;
        else if (o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding') o.metadata!.namespace = dry;
        else o.metadata!.name = `${o.metadata!.name}-${dry}`;
        await api.create(o, undefined, 'All');
        kinds.push(o.kind!);
      }
    }
    expect(kinds.sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Namespace', 'PersistentVolumeClaim', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
  });
});

describe('kubernetes engine without the Role', () => {
  let engine: WorkspaceEngine;
  beforeAll(async () => {
    await setupRbac();
    engine = await createEngine({ kind: 'kubernetes', origin: testOrigin('kn'), kubeconfig: nobodyKubeconfig });
  });

  it('gets a clear forbidden error naming the refused verb and resource, and creates nothing', async () => {
    const spec = parseWorkspaceRequest({ user: 'alice', name: 'denied', image: TEST_IMAGES.busybox }, { now: new Date() });
    const e = await refusal(engine.create(spec));
    expect(e).toMatchObject({ code: 'forbidden' });
    expect(e.message).toMatch(/^Kubernetes \(context ctx, namespace hubdeck-rbac-[0-9a-f]+, https:\/\/127\.0\.0\.1:\d+\) refused: .*system:serviceaccount:hubdeck-rbac-[0-9a-f]+:nobody.* cannot (get|create) resource "services"/);
    // list() asks for services and pods at once: whichever refusal comes first names its resource.
    expect(await refusal(engine.list())).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/cannot list resource "(services|pods)"/) });
    expect(await refusal(engine.capacity())).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/cannot list resource "nodes"/) });
    const core = admin.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedService({ namespace: ns })).items).toEqual([]);
    expect((await core.listNamespacedPod({ namespace: ns })).items).toEqual([]);
  });
});

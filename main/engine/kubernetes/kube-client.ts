/**
 * The connection: a kubeconfig (a given file, else KUBECONFIG / ~/.kube/config, else the pod's
 * service account when running in a cluster), a context and a namespace. Errors name what was
 * missing, because "no cluster" is the first thing an operator hits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api, VersionApi } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';

export interface KubeClientOptions {
  /** A kubeconfig file; default: KUBECONFIG, ~/.kube/config, or in-cluster. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: Record<string, string | undefined>;
}

export interface KubeClient {
  kc: KubeConfig;
  namespace: string;
  /** True when the engine runs in a pod of the cluster it manages (pod IPs are reachable). */
  inCluster: boolean;
  /** "context C, namespace N (https://…)" for errors and capacity. */
  where: string;
  core: CoreV1Api;
  net: NetworkingV1Api;
  custom: CustomObjectsApi;
  version: VersionApi;
}

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function openKubeClient(opts: KubeClientOptions = {}): KubeClient {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  let inCluster = false;
  if (opts.kubeconfig) {
    if (!fs.existsSync(opts.kubeconfig)) throw new HubdeckError('invalid', `kubeconfig ${opts.kubeconfig} does not exist`);
    kc.loadFromFile(opts.kubeconfig);
  } else if (env.KUBECONFIG) {
    // KUBECONFIG may list several files (merged, the first one's current context wins), as kubectl reads it.
    const files = env.KUBECONFIG.split(path.delimiter).filter(Boolean);
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length === files.length) throw new HubdeckError('invalid', `KUBECONFIG names no file that exists (${env.KUBECONFIG})`);
    if (files.length === 1) kc.loadFromFile(files[0]!);
    else kc.loadFromDefault();
  } else if (env.HOME && fs.existsSync(path.join(env.HOME, '.kube', 'config'))) {
    kc.loadFromFile(path.join(env.HOME, '.kube', 'config'));
  } else if (env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    inCluster = true;
  } else {
    throw new HubdeckError('invalid', 'no Kubernetes configuration: set KUBECONFIG, create ~/.kube/config, or run the hub in a cluster');
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new HubdeckError('invalid', `kube context "${opts.context}" is not in the kubeconfig (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`, 'kubeContext');
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new HubdeckError('invalid', `the kubeconfig's current context "${kc.getCurrentContext()}" names no cluster`);
  const namespace = opts.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? podNamespace(inCluster) ?? 'default';
  return {
    kc, namespace, inCluster,
    where: `context ${kc.getCurrentContext()}, namespace ${namespace}, ${cluster.server}`,
    core: kc.makeApiClient(CoreV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    version: kc.makeApiClient(VersionApi),
  };
}

function podNamespace(inCluster: boolean): string | null {
  if (!inCluster) return null;
  try {
    return fs.readFileSync(SA_NAMESPACE, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

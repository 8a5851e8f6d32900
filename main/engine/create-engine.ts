/**
 * The one place engines are made: `hub serve`, the local hub and tests name a kind and its
 * connection, never a class. Each backend is loaded only when asked for, so the CLI does not pay
 * for dockerode (or, later, the Kubernetes client) on commands that never touch them.
 */
import type { EngineConfig, WorkspaceEngine } from './engine';

export async function createEngine(config: EngineConfig): Promise<WorkspaceEngine> {
  switch (config.kind) {
    case 'docker': {
      const { DockerEngine } = await import('./docker/docker-engine');
      return new DockerEngine({ origin: config.origin, host: config.host, env: config.env, connectMode: config.connectMode });
    }
    case 'swarm': {
      const { SwarmEngine } = await import('./swarm/swarm-engine');
      const { kind: _kind, ...options } = config;
      return new SwarmEngine(options);
    }
    case 'kubernetes': {
      const { KubernetesEngine } = await import('./kubernetes/kubernetes-engine');
      const { kind: _kind, ...options } = config;
      return new KubernetesEngine(options);
    }
    case 'fake': {
      const { FakeEngine } = await import('./fake/fake-engine');
      return new FakeEngine(config);
    }
  }
}

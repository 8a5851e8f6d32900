/**
 * The environment every engine gives a workspace, whatever runs it (Docker, Swarm, Kubernetes, the
 * fake): the user's variables, then the hub's, so a web app serves under the proxy's path and
 * Jupyter takes the token the proxy presents. One module so no engine can drift from the others.
 */
import type { WorkspaceSpec } from '../core/workspace-spec';
import { workspaceBaseUrl } from '../core/names';

/** The variables the hub sets itself (reserved, core/env-vars: a user cannot spoof them). */
export function hubEnv(spec: WorkspaceSpec, webToken: string): Record<string, string> {
  const baseUrl = workspaceBaseUrl(spec.user, spec.name);
  return {
    HUBDECK_USER: spec.user,
    HUBDECK_WORKSPACE: spec.name,
    HUBDECK_BASE_URL: baseUrl,
    HUBDECK_WEB_PORT: String(spec.webPort),
    // Read by jupyterhub-singleuser and by our test image's start script.
    JUPYTERHUB_SERVICE_PREFIX: baseUrl,
    // Read by the public Jupyter images' start script (appended to `jupyter lab`).
    NOTEBOOK_ARGS: `--ServerApp.base_url=${baseUrl} --ServerApp.port=${spec.webPort}`,
    // Jupyter Server reads its token from here; the proxy presents it on the user's behalf.
    JUPYTER_TOKEN: webToken,
  };
}

/** The workspace's environment: user env first, the hub's keys after, so they win regardless. */
export function workspaceEnv(spec: WorkspaceSpec, webToken: string): Record<string, string> {
  return { ...spec.env, ...hubEnv(spec, webToken) };
}

/**
 * What callers that need an engine or an SSH gateway ask of a HubInfo: a Hubdeck hub always has
 * both; a connected JupyterHub has neither, and saying so beats a null dereference later.
 */
import { HubdeckError } from '../core/errors';
import type { HubInfo } from './dto';

export function sshOf(info: HubInfo): NonNullable<HubInfo['ssh']> {
  if (info.ssh) return info.ssh;
  throw new HubdeckError('invalid', 'SSH: not available on a JupyterHub (it runs no Hubdeck SSH gateway; use a terminal in Jupyter)');
}

export function engineDescription(info: HubInfo): string {
  if (info.engine) return info.engine.description;
  return info.jupyterhub ? `JupyterHub ${info.jupyterhub.version} (its spawner runs the servers)` : 'an unknown engine';
}

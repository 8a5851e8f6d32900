/**
 * The SSH alias and command of a workspace, as `hubdeck ssh-config` writes them: `<workspace>.<hub
 * id>` for a hub reached by URL (what a browser always does), `<workspace>.hubdeck` for the local
 * hub (the desktop app says so through its optional sshAlias capability).
 */
import type { WorkspaceRef } from '../../../main/api/dto';
import { desktop } from './desktop';

export function defaultSshAlias(workspace: string, hubId: string): string {
  return `${workspace}.${hubId}`;
}

export async function sshAliasFor(ref: WorkspaceRef, hubId: string): Promise<string> {
  if (desktop?.sshAlias) {
    try {
      return await desktop.sshAlias(ref);
    } catch {
      // fall back to the remote form
    }
  }
  return defaultSshAlias(ref.name, hubId);
}

export const sshCommandFor = (alias: string) => `ssh ${alias}`;

/** The one-time setup that makes the alias resolve, for the hub this page came from. */
export function sshSetupCommand(hubUrl: string): string {
  return `hubdeck ssh-config --hub ${hubUrl}`;
}

/**
 * The SSH alias and command of a workspace, as `hubdeck ssh-config` writes them: `<workspace>.<hub
 * alias>`, the alias being what the hub says in its info (`hubdeck` for the local hub, its id for
 * a team hub).
 */
import type { WorkspaceRef } from '../../../main/api/dto';

export function sshAliasFor(ref: WorkspaceRef, hubAlias: string): string {
  return `${ref.name}.${hubAlias}`;
}

export const sshCommandFor = (alias: string) => `ssh ${alias}`;

/** The one-time setup that makes the alias resolve, for the hub this page came from. */
export function sshSetupCommand(hubUrl: string | null): string {
  return hubUrl ? `hubdeck --hub ${hubUrl} ssh-config` : 'hubdeck ssh-config';
}

/**
 * The label codec (DESIGN §3). Labels are the source of truth for workspaces: everything an engine
 * creates carries them, identically on every engine. Identity goes in labels whose values are valid
 * Kubernetes label values (names are DNS labels already; expiry as Unix seconds); free text such as
 * the RFC 3339 expiry and the spec JSON goes in annotations. Docker simply gets both as labels.
 */
import { decodeSpec, type WorkspaceSpec } from './workspace-spec';

export const LABEL_PREFIX = 'hubdeck.io/';
export const LABELS = {
  origin: 'hubdeck.io/origin',
  user: 'hubdeck.io/user',
  workspace: 'hubdeck.io/workspace',
  kind: 'hubdeck.io/kind',
  expires: 'hubdeck.io/expires',
  expiresAt: 'hubdeck.io/expires-at',
  spec: 'hubdeck.io/spec',
  version: 'hubdeck.io/version',
} as const;

/** What an engine object is, so cleanup can tell a workspace's container from its volume. */
export type ResourceKind = 'workspace' | 'volume' | 'network';
export const SPEC_VERSION = '1';

export interface EncodedLabels {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function workspaceLabels(spec: WorkspaceSpec, origin: string, kind: ResourceKind = 'workspace'): EncodedLabels {
  const labels: Record<string, string> = {
    [LABELS.origin]: origin,
    [LABELS.user]: spec.user,
    [LABELS.workspace]: spec.name,
    [LABELS.kind]: kind,
    [LABELS.version]: SPEC_VERSION,
  };
  const annotations: Record<string, string> = {};
  if (spec.expiresAt) {
    labels[LABELS.expires] = String(Math.floor(Date.parse(spec.expiresAt) / 1000));
    annotations[LABELS.expiresAt] = spec.expiresAt;
  }
  if (kind === 'workspace') annotations[LABELS.spec] = JSON.stringify(spec);
  return { labels, annotations };
}

export function userNetworkLabels(origin: string, user: string): Record<string, string> {
  return { [LABELS.origin]: origin, [LABELS.user]: user, [LABELS.kind]: 'network', [LABELS.version]: SPEC_VERSION };
}

/** Docker has no annotations: both sets travel as labels. */
export function flatLabels(e: EncodedLabels): Record<string, string> {
  return { ...e.labels, ...e.annotations };
}

export interface DecodedWorkspace {
  origin: string;
  user: string;
  name: string;
  spec: WorkspaceSpec | null;
}

/** Reads our labels back; null when the object is not a Hubdeck workspace. */
export function decodeWorkspaceLabels(all: Record<string, string> | undefined | null): DecodedWorkspace | null {
  if (!all) return null;
  const origin = all[LABELS.origin];
  const user = all[LABELS.user];
  const name = all[LABELS.workspace];
  if (!origin || !user || !name) return null;
  const spec = decodeSpec(all[LABELS.spec]);
  // A spec that disagrees with the identity labels was edited by hand: trust the identity, not it.
  const consistent = spec && spec.user === user && spec.name === name ? spec : null;
  return { origin, user, name, spec: consistent };
}

/** Docker/Kubernetes label filters for "everything of this hub (and user)". */
export function labelSelector(origin: string, extra: Record<string, string> = {}): string[] {
  return [`${LABELS.origin}=${origin}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)];
}

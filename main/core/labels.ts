/**
 * The label codec (docs/architecture.md "Workspaces and labels"). Labels are the source of truth for workspaces: everything an engine
 * creates carries them, identically on every engine. Identity goes in labels whose values are valid
 * Kubernetes label values (names are DNS labels already; expiry as Unix seconds, for selectors);
 * free text such as the RFC 3339 expiry and the spec JSON goes in annotations. Docker simply gets
 * both as labels. The spec is versioned (spec-decoding.ts) so older workspaces stay readable.
 */
import type { WorkspaceSpec } from './workspace-spec';
import { decodeSpec, SPEC_VERSION } from './spec-decoding';
import { workspaceBaseUrl } from './names';

export const LABELS = {
  origin: 'hubdeck.io/origin',
  user: 'hubdeck.io/user',
  workspace: 'hubdeck.io/workspace',
  kind: 'hubdeck.io/kind',
  /** Unix seconds: selectable ("expired before T") on engines whose labels allow only such values. */
  expires: 'hubdeck.io/expires',
  expiresAt: 'hubdeck.io/expires-at',
  spec: 'hubdeck.io/spec',
  version: 'hubdeck.io/version',
} as const;

/**
 * What an engine object is, so cleanup can tell a workspace from its data: the workspace itself,
 * its data volume, a user's named volume (mounts), a user's network, and engine-specific helpers
 * (Kubernetes services, Swarm configs…) that belong to a workspace.
 */
export type ResourceKind = 'workspace' | 'volume' | 'user-volume' | 'network' | 'service' | 'claim' | 'secret';

export interface EncodedLabels {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Written when an expiry is cleared on an engine that keeps it in labels: "never", not "unset". */
export const NEVER = 'never';

export function expiryLabels(expiresAt: string | null): EncodedLabels {
  if (!expiresAt) return { labels: {}, annotations: {} };
  return { labels: { [LABELS.expires]: String(Math.floor(Date.parse(expiresAt) / 1000)) }, annotations: { [LABELS.expiresAt]: expiresAt } };
}

export function workspaceLabels(spec: WorkspaceSpec, origin: string, kind: ResourceKind = 'workspace'): EncodedLabels {
  const expiry = expiryLabels(spec.expiresAt);
  const labels: Record<string, string> = {
    [LABELS.origin]: origin,
    [LABELS.user]: spec.user,
    [LABELS.workspace]: spec.name,
    [LABELS.kind]: kind,
    [LABELS.version]: SPEC_VERSION,
    ...expiry.labels,
  };
  const annotations: Record<string, string> = { ...expiry.annotations };
  if (kind === 'workspace') annotations[LABELS.spec] = JSON.stringify(spec);
  return { labels, annotations };
}

/** Objects of a user rather than of one workspace: their network, their named volumes. */
export function userLabels(origin: string, user: string, kind: ResourceKind): Record<string, string> {
  return { [LABELS.origin]: origin, [LABELS.user]: user, [LABELS.kind]: kind, [LABELS.version]: SPEC_VERSION };
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
  /** Why `spec` is null. */
  specIssue: string | null;
  /** From the labels written at creation; engines with mutable expiry may hold a newer value. */
  expiresAt: string | null;
}

/** Reads our labels (and annotations, merged) back; null when the object is not a Hubdeck workspace. */
export function decodeWorkspaceLabels(all: Record<string, string> | undefined | null): DecodedWorkspace | null {
  if (!all) return null;
  const origin = all[LABELS.origin];
  const user = all[LABELS.user];
  const name = all[LABELS.workspace];
  if (!origin || !user || !name) return null;
  const decoded = decodeSpec(all[LABELS.spec], all[LABELS.version]);
  let { spec, issue } = decoded as { spec: WorkspaceSpec | null; issue: string | null };
  // A spec that disagrees with the identity labels was edited by hand: trust the identity, not it.
  if (spec && (spec.user !== user || spec.name !== name)) {
    spec = null;
    issue = 'its spec label names another workspace';
  }
  const labelled = expiryFromLabels(all);
  return { origin, user, name, spec, specIssue: issue, expiresAt: labelled === undefined ? spec?.expiresAt ?? null : labelled };
}

/**
 * The part of a workspace every engine reads the same way from its labels (the identity, the spec,
 * the expiry) plus the path it is served under; each engine adds what it learns from its objects.
 */
export function labelledFields(d: DecodedWorkspace) {
  return { origin: d.origin, user: d.user, name: d.name, spec: d.spec, specIssue: d.specIssue, expiresAt: d.expiresAt, baseUrl: workspaceBaseUrl(d.user, d.name) };
}

/**
 * The RFC 3339 annotation, else the Unix-seconds label (all a label-only engine may keep); null
 * when either says "never" (an expiry cleared later); undefined when neither is there.
 */
export function expiryFromLabels(all: Record<string, string>): string | null | undefined {
  const at = all[LABELS.expiresAt];
  const secs = all[LABELS.expires];
  if (at === NEVER || secs === NEVER) return null;
  if (at && Number.isFinite(Date.parse(at))) return new Date(Date.parse(at)).toISOString();
  return secs && /^\d{1,12}$/.test(secs) ? new Date(Number(secs) * 1000).toISOString() : undefined;
}

/** Docker/Kubernetes label filters for "everything of this hub (and user)". */
export function labelSelector(origin: string, extra: Record<string, string> = {}): string[] {
  return [`${LABELS.origin}=${origin}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)];
}

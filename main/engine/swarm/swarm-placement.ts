/**
 * Where Swarm may run a workspace: the hub's own constraints and spread preferences, those of the
 * workspace's image (SwarmSpawner's per-image placement), and the spec's node labels. Constraints
 * use Swarm's syntax (`node.labels.gpu==a100`, `node.role!=manager`); they are checked here, at the
 * boundary, and evaluated against the nodes before a service is made, so an impossible placement
 * is a clear refusal instead of a task pending forever. Pure.
 */
import { ValidationError } from '../../core/errors';
import { normalizeImageRef } from '../../core/image-ref';
import type { Placement as LabelPlacement } from '../../core/placement';

/** What a constraint may look at: Swarm's node attributes (docs: service create --constraint). */
const CONSTRAINT = /^\s*(node\.id|node\.hostname|node\.role|node\.platform\.os|node\.platform\.arch|node\.labels\.[A-Za-z0-9._/-]+|engine\.labels\.[A-Za-z0-9._/-]+)\s*(==|!=)\s*([A-Za-z0-9._/:@-]+)\s*$/;
const SPREAD = /^(?:spread=)?(node\.labels\.[A-Za-z0-9._/-]+|engine\.labels\.[A-Za-z0-9._/-]+|node\.(?:id|hostname|role|platform\.os|platform\.arch))$/;

export interface Constraint {
  key: string;
  op: '==' | '!=';
  value: string;
}

export interface PlacementRules {
  constraints: Constraint[];
  /** Spread descriptors, in order of priority. */
  preferences: string[];
}

export interface SwarmPlacement extends PlacementRules {
  /** Rules for one image, matched by its canonical reference. */
  images: { image: string; rules: PlacementRules }[];
}

export function parseConstraint(text: string, field = 'constraint'): Constraint {
  const m = CONSTRAINT.exec(text);
  if (!m) throw new ValidationError(field, `"${text}" is not a Swarm constraint (e.g. node.labels.gpu==a100, node.role!=manager)`);
  return { key: m[1]!, op: m[2] as Constraint['op'], value: m[3]! };
}

export function parsePreference(text: string, field = 'preference'): string {
  const m = SPREAD.exec(text.trim());
  if (!m) throw new ValidationError(field, `"${text}" is not a Swarm spread preference (e.g. node.labels.zone)`);
  return m[1]!;
}

export const formatConstraint = (c: Constraint) => `${c.key}${c.op}${c.value}`;

export interface PlacementInput {
  constraints?: string[];
  preferences?: string[];
  /** `IMAGE=CONSTRAINT` and `IMAGE=PREFERENCE` lines (image references never contain "="). */
  imageConstraints?: string[];
  imagePreferences?: string[];
}

/** Validates the hub's placement settings once; throws ValidationError naming the option. */
export function parseSwarmPlacement(i: PlacementInput): SwarmPlacement {
  const images = new Map<string, PlacementRules>();
  const forImage = (line: string, field: string): [PlacementRules, string] => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ValidationError(field, `"${line}" is not IMAGE=RULE`);
    const image = normalizeImageRef(line.slice(0, eq).trim());
    const rules = images.get(image) ?? { constraints: [], preferences: [] };
    images.set(image, rules);
    return [rules, line.slice(eq + 1)];
  };
  for (const line of i.imageConstraints ?? []) {
    const [rules, rest] = forImage(line, 'swarm-image-constraint');
    rules.constraints.push(parseConstraint(rest, 'swarm-image-constraint'));
  }
  for (const line of i.imagePreferences ?? []) {
    const [rules, rest] = forImage(line, 'swarm-image-preference');
    rules.preferences.push(parsePreference(rest, 'swarm-image-preference'));
  }
  return {
    constraints: (i.constraints ?? []).map((c) => parseConstraint(c, 'swarm-constraint')),
    preferences: (i.preferences ?? []).map((p) => parsePreference(p, 'swarm-preference')),
    images: [...images].map(([image, rules]) => ({ image, rules })),
  };
}

export const NO_PLACEMENT: SwarmPlacement = { constraints: [], preferences: [], images: [] };

/** The rules for one workspace: the hub's, its image's, then its spec's node labels. */
export function placementFor(p: SwarmPlacement, image: string, labels: LabelPlacement): PlacementRules {
  const own = p.images.find((x) => x.image === normalizeImageRef(image))?.rules ?? { constraints: [], preferences: [] };
  const fromSpec = Object.entries(labels).map(([k, v]): Constraint => ({ key: `node.labels.${k}`, op: '==', value: v }));
  return { constraints: [...p.constraints, ...own.constraints, ...fromSpec], preferences: [...p.preferences, ...own.preferences] };
}

/** A node's attributes as constraints see them. */
export interface NodeFacts {
  id: string;
  hostname: string;
  role: string;
  os: string;
  arch: string;
  labels: Record<string, string>;
  engineLabels: Record<string, string>;
}

function attribute(n: NodeFacts, key: string): string | undefined {
  if (key.startsWith('node.labels.')) return n.labels[key.slice('node.labels.'.length)];
  if (key.startsWith('engine.labels.')) return n.engineLabels[key.slice('engine.labels.'.length)];
  const plain: Record<string, string> = { 'node.id': n.id, 'node.hostname': n.hostname, 'node.role': n.role, 'node.platform.os': n.os, 'node.platform.arch': n.arch };
  return plain[key];
}

/** Swarm's rule: `==` needs the attribute equal; `!=` holds when it differs or is missing. */
export function nodeSatisfies(n: NodeFacts, constraints: Constraint[]): boolean {
  return constraints.every((c) => {
    const v = attribute(n, c.key);
    // Swarm compares node.hostname and the like case-insensitively, labels exactly.
    const equal = v !== undefined && (c.key.includes('.labels.') ? v === c.value : v.toLowerCase() === c.value.toLowerCase());
    return c.op === '==' ? equal : !equal;
  });
}

/** Whether each placement rule came from the hub, the image or the spec, for error messages. */
export function placementProblem(nodes: NodeFacts[], rules: PlacementRules): string | null {
  if (nodes.some((n) => nodeSatisfies(n, rules.constraints))) return null;
  const list = rules.constraints.map(formatConstraint).join(', ');
  return `no ${nodes.length === 1 ? 'node' : `node of ${nodes.length}`} of this swarm satisfies ${list}`;
}

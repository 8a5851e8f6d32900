/**
 * What a hub can do, as its HubInfo reports it: the CLI, the desktop shell and the renderer ask this,
 * never what kind of hub answers, so a new backend (a connector, an engine) needs no branch outside
 * its own folder — it fills in its capabilities and the UIs follow. Environment-neutral and pure:
 * the renderer imports it too.
 */
import { HubdeckError } from '../core/errors';

/** The yes/no abilities, each a feature a UI offers only when the hub has it. */
export const CAPABILITIES = [
  /** An SSH gateway: `workspace ssh`, Copy SSH command, ssh config aliases. */
  'ssh',
  /** Port forwards through the hub: `workspace forward`, tunnels. */
  'tunnels',
  /** A shell in a workspace through the hub (the app's terminal). */
  'terminal',
  /** A workspace's logs. */
  'logs',
  /** CPU and memory use, once or as a live stream. */
  'stats',
  /** Workspaces expire (days to live) and can be extended. */
  'extend',
  /** Hubdeck's administration: users, groups, images, settings, cleanup. */
  'admin',
  /** Workspaces keep their files in volumes the hub names, and a remove may delete them. */
  'volumes',
  /** An image list to pick from when creating. */
  'images',
  /** Teammates join by invite; the hub can be shared. */
  'invites',
  /** Every user's workspaces in one list (admins). */
  'listAll',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
/** What a command may need: a yes/no ability, or that the hub creates (`create`) or opens (`open`) workspaces at all. */
export type Ability = Capability | 'create' | 'open';

/** How a user_options form maps to what a spawner reads (main/client/jupyterhub/jupyterhub-options.ts). */
export type OptionsMapping = 'json' | 'mlhub' | 'profile';

/**
 * The New-workspace form: Hubdeck's workspace spec (image list, limits, quota), or fields sent as a
 * spawner's user_options with defaults sent every time. `missingScopes`: what the hub's token lacks
 * for starting or opening servers (empty when it has all), said beside the form.
 */
export type CreateForm = { form: 'spec' } | { form: 'user-options'; mapping: OptionsMapping; defaults: Record<string, unknown>; missingScopes: string[] };

export type HubCapabilities = Record<Capability, boolean> & {
  /** What people call this kind of hub ("hubdeck", "JupyterHub"): for messages only, never for decisions. */
  product: string;
  /** What runs the workspaces when the hub has no engine of its own ("its spawner runs the servers"); else null. */
  runsOn: string | null;
  /** How workspaces are created; null: they are not created from here. */
  create: CreateForm | null;
  /** Null: the hub pushes events. Else it has no event stream and its state is polled this often. */
  pollSeconds: number | null;
  /**
   * How a workspace's pages open: on the workspace's own origin, signed in with a one-time code
   * (`own-origin`), or as the hub's own page for it that a short-lived sign-in URL opens (`hub-page`);
   * null: not from here.
   */
  open: 'own-origin' | 'hub-page' | null;
  /** Why a missing ability is missing, where the hub has more to say than "not available". */
  why: Partial<Record<Ability, string>>;
};

/** A Hubdeck hub: everything. Also what an info without capabilities means (a hub that predates them). */
export const HUBDECK_CAPABILITIES: HubCapabilities = {
  ...allOf(true), product: 'hubdeck', runsOn: null, create: { form: 'spec' }, pollSeconds: null, open: 'own-origin', why: {},
};

/** A hub that can do nothing but list, start, stop and remove: the floor every backend stands on. */
export const NO_CAPABILITIES: HubCapabilities = {
  ...allOf(false), product: 'hub of this kind', runsOn: null, create: null, pollSeconds: null, open: null, why: {},
};

function allOf(value: boolean): Record<Capability, boolean> {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, value])) as Record<Capability, boolean>;
}

/** A HubInfo's capabilities; one from a hub that predates them is a Hubdeck hub's. */
export function capabilitiesOf(info: { capabilities?: HubCapabilities }): HubCapabilities {
  return info.capabilities ?? HUBDECK_CAPABILITIES;
}

/** What to tell someone who asked for what the hub cannot do: "SSH: not available on a JupyterHub (why)". */
export function unavailableMessage(caps: HubCapabilities, cap: Ability, what: string): string {
  const why = caps.why[cap];
  return `${what}: not available on ${hubNoun(caps)}${why ? ` (${why})` : ''}`;
}

/** The hub as a noun with its article: "a JupyterHub", "an Example hub". */
export function hubNoun(caps: HubCapabilities): string {
  return `${article(caps.product)} ${caps.product}`;
}

/** What a hub refuses because it cannot do it: an "invalid" error (exit 2, HTTP 400) that names the ability. */
export class UnavailableError extends HubdeckError {
  constructor(readonly capability: Ability | null, message: string) {
    super('invalid', message);
    this.name = 'UnavailableError';
  }
}

/** Whether the hub can: a yes/no ability, or that it creates or opens workspaces at all. Pure. */
export function can(caps: HubCapabilities, cap: Ability): boolean {
  return Boolean(caps[cap]);
}

/** Refuses, unless the hub can. */
export function requireCapability(caps: HubCapabilities, cap: Ability, what: string): void {
  if (!can(caps, cap)) throw new UnavailableError(cap, unavailableMessage(caps, cap, what));
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(?:uni|use)/i.test(word) ? 'an' : 'a';
}

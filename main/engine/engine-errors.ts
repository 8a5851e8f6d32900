/**
 * Engine refusals a user can cause, as sentences: the field, the reason and the fix. Docker, Swarm
 * and Kubernetes word the same failure differently ("dial tcp: lookup quay.io: no such host" in a
 * pull, an ErrImagePull, a rejected task); each backend hands its raw text here and gets one
 * HubdeckError back, whose message people read and whose `engineText` keeps the engine's own words
 * for the hub's log. Pure: the backend passes what it knows (the images present) in.
 */
import { HubdeckError, type ErrorCode } from '../core/errors';
import { normalizeImageRef } from '../core/image-ref';

/** A refusal translated from the engine's words, which are kept for the log. */
export class EngineRefusal extends HubdeckError {
  constructor(code: ErrorCode, message: string, field: string | undefined, readonly engineText: string) {
    super(code, message, field);
    this.name = 'EngineRefusal';
  }
}

export interface RefusalContext {
  /** The image the workspace asked for. */
  image: string;
  /** "Docker", "Swarm" or "Kubernetes": which engine said it. */
  engine: string;
  /** Images this engine already has, for "images present here: …" (omitted when unknown). */
  present?: string[];
}

/** The registry a reference pulls from: "quay.io", "docker.io", "127.0.0.1:5000". */
export function registryOf(ref: string): string {
  return normalizeImageRef(ref).split('/')[0]!;
}

const UNREACHABLE = /no such host|dial tcp|i\/o timeout|server misbehaving|temporary failure in name resolution|network is unreachable|connection refused|tls handshake timeout|context deadline exceeded|EAI_AGAIN|ENOTFOUND/i;
const MISSING = /manifest unknown|not found: manifest|repository does not exist|pull access denied|no such image|manifest for .* not found|unauthorized|denied: requested access|name unknown/i;
const NO_COMMAND = /no command specified/i;
const MIN_MEMORY = /minimum memory limit allowed is (\d+\s*[kmg]?b)/i;

function presentList(c: RefusalContext): string {
  if (!c.present) return '';
  const names = c.present.filter((n) => !n.startsWith('<none>')).slice(0, 8);
  return names.length ? `; images present here: ${names.join(', ')}` : '; no images are present on this engine (load some: npm run images, or docker load)';
}

type Rule = [RegExp, (c: RefusalContext, m: RegExpExecArray) => [ErrorCode, string, string]];

// First match wins. Each sentence: the field, why, and what to do instead.
const RULES: Rule[] = [
  [NO_COMMAND, (c) => ['invalid', 'image', `image: "${c.image}" has no command to run (no CMD or ENTRYPOINT); pick an image made for workspaces, such as a Jupyter image or one the hub lists${presentList(c)}`]],
  [MIN_MEMORY, (c, m) => ['invalid', 'memory', `memory: too little for ${c.engine}, which allows no less than ${m[1]!.replace(/\s+/g, '')}; ask for more (e.g. --memory 64m)`]],
  [UNREACHABLE, (c) => ['unavailable', 'image', `image: cannot reach ${registryOf(c.image)} from this engine (${c.engine}) to pull "${c.image}"${presentList(c)}`]],
  [MISSING, (c) => ['invalid', 'image', `image: "${c.image}" is not on ${registryOf(c.image)} (or needs a login the engine lacks); check its name and tag${presentList(c)}`]],
];

/** The sentence for an engine's raw text, or null when it is not a refusal a user caused. */
export function explainEngineText(raw: string, c: RefusalContext): EngineRefusal | null {
  for (const [re, make] of RULES) {
    const m = re.exec(raw);
    if (m) {
      const [code, field, message] = make(c, m);
      return new EngineRefusal(code, message, field, raw);
    }
  }
  return null;
}

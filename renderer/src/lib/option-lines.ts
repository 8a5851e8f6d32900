/**
 * The text a user types for a connected JupyterHub's user_options, checked in the page so a typo
 * gets a clear message before anything is sent: KEY=VALUE lines (a value that is valid JSON is
 * taken as JSON: 3, true, {"a":1}; anything else as text) and a JSON object of default options.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The option keys the desktop's addHub accepts (main/shell/desktop-api-ipc.ts), and the connector sends. */
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** The limit addHub puts on default options. */
const MAX_DEFAULTS_JSON = 16_384;

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** KEY=VALUE lines (blank lines ignored) as an object; `what` names the field in the message. */
export function parseOptionLines(text: string, what = 'Options'): Parsed<Record<string, unknown>> {
  const entries: [string, unknown][] = [];
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0 || !KEY_RE.test(key)) {
      return { ok: false, error: `${what}, line ${i + 1}: "${line}" is not KEY=VALUE (a key of letters, digits, _ . -, starting with a letter or _)` };
    }
    entries.push([key, jsonOrText(line.slice(eq + 1).trim())]);
  }
  // fromEntries defines own properties: a "__proto__" key stays a key, not a prototype.
  return { ok: true, value: Object.fromEntries(entries) };
}

/** A JSON object of options sent with every create; empty text is "none" (undefined). */
export function parseDefaultOptions(text: string): Parsed<Record<string, unknown> | undefined> {
  if (!text.trim()) return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Default options: not valid JSON (${(e as Error).message}); write an object like {"image": "jupyter/base-notebook"}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'Default options: must be a JSON object like {"image": "jupyter/base-notebook"}, not a list or a single value' };
  }
  const bad = Object.keys(value).find((k) => !KEY_RE.test(k));
  if (bad !== undefined) return { ok: false, error: `Default options: "${bad}" is not an option key (letters, digits, _ . -, starting with a letter or _)` };
  if (JSON.stringify(value).length > MAX_DEFAULTS_JSON) return { ok: false, error: 'Default options: at most 16 KiB of JSON' };
  return { ok: true, value: value as Record<string, unknown> };
}

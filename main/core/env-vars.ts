/**
 * Workspace environment variables. Keys follow POSIX shell rules; values may hold anything but NUL
 * and newlines (they travel through Docker's KEY=VALUE list and Kubernetes env). Keys the hub sets
 * itself are reserved so a user cannot spoof the base URL or the web token.
 */
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RESERVED_ENV = /^(HUBDECK_|JUPYTERHUB_)|^JUPYTER_TOKEN$/;

/** Parses "KEY=VALUE" lines or a record; returns the record or the broken rule. */
export function parseEnv(input: string[] | Record<string, string>): Record<string, string> | string {
  const pairs: [string, string][] = Array.isArray(input)
    ? input.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, '\u0000missing'] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(input);
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (value === '\u0000missing') return `"${key}" is not KEY=VALUE`;
    const rule = checkEnvPair(key, value);
    if (rule) return rule;
    if (key in out) return `"${key}" is set twice`;
    out[key] = value;
  }
  return out;
}

function checkEnvPair(key: string, value: string): string | null {
  if (!ENV_KEY.test(key)) return `"${key}" is not a variable name (letters, digits and _, not starting with a digit)`;
  if (RESERVED_ENV.test(key)) return `"${key}" is reserved for the hub`;
  if (/[\0\r\n]/.test(value)) return `the value of ${key} contains a NUL or newline`;
  if (value.length > 32768) return `the value of ${key} is longer than 32768 characters`;
  return null;
}

export function envToList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

export function envFromList(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of list) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

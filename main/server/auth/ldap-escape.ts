/**
 * Escaping for text put into LDAP distinguished names (RFC 4514) and search filters (RFC 4515).
 * User names are already limited to [a-z0-9-] by the hub's name rules; these make the template
 * substitution safe on its own, whatever a template or a future name rule lets through.
 */

/** A value for one attribute of an RDN: `uid=<value>,ou=people,…`. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=\0]/g, (c) => (c === '\0' ? '\\00' : `\\${c}`));
  // A leading space or "#", and a trailing space, are special only at those places.
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** A value inside a filter assertion: `(uid=<value>)`. */
export function escapeFilterValue(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((b) => (b === 0x2a || b === 0x28 || b === 0x29 || b === 0x5c || b === 0 || b > 0x7e ? `\\${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b)))
    .join('');
}

/** Fills `{name}` placeholders of a template, each value escaped by `escape`; unknown ones are an error. */
export function fillTemplate(template: string, values: Record<string, string>, escape: (v: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`unknown placeholder {${key}} in "${template}"`);
    return escape(v);
  });
}

/**
 * Escaping for text put into LDAP distinguished names (RFC 4514), and the template filling that
 * uses it for DNs and (with ldapts's `Filter.escape`, RFC 4515) for search filters. User names are
 * already limited to [a-z0-9-] by the hub's name rules; these make the template substitution safe
 * on its own, whatever a template or a future name rule lets through.
 *
 * DN values are escaped here, not by ldapts (issue 21 checked): ldapts escapes only whole DNs it
 * builds (its RDN class is not exported, and our DN comes from an operator's template), passes a
 * NUL through unescaped (RFC 4514 §2.4 requires \00), and quotes a value with a leading or
 * trailing space ("…"), a form RFC 4514 dropped.
 */

/** A value for one attribute of an RDN: `uid=<value>,ou=people,…`. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=\0]/g, (c) => (c === '\0' ? '\\00' : `\\${c}`));
  // A leading space or "#", and a trailing space, are special only at those places.
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Fills `{name}` placeholders of a template, each value escaped by `escape`; unknown ones are an error. */
export function fillTemplate(template: string, values: Record<string, string>, escape: (v: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`unknown placeholder {${key}} in "${template}"`);
    return escape(v);
  });
}

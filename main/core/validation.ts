/**
 * Boundary validation with zod: one place that turns zod issues into the product's errors, whose
 * message starts with the field and states the rule.
 */
import { z } from 'zod';
import { ValidationError } from './errors';

export type Rule = { readonly rule: string };
export const rule = (message: string): Rule => ({ rule: message });
const isRule = (v: unknown): v is Rule => typeof v === 'object' && v !== null && 'rule' in v && Object.keys(v).length === 1;

/** A zod field whose value is parsed by `parse`, which returns the value or the broken rule. */
export function parsedField<I, O>(base: z.ZodType<I>, parse: (v: I) => O | Rule) {
  return base.transform((v, ctx): O => {
    const r = parse(v);
    if (isRule(r)) {
      ctx.addIssue({ code: 'custom', message: r.rule });
      return z.NEVER;
    }
    return r;
  });
}

/** Parses or throws a ValidationError naming the first offending field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, root = 'request'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const [field, message] = issueOf(r.error.issues[0]!, root);
  return fail(field, message);
}

/**
 * Every refusal of a body, the first per field ("cpus" → '"many" is not a number of CPUs'): the
 * same rules and words as parseWith, for forms that mark each bad field while people type.
 */
export function fieldIssues(schema: z.ZodType, input: unknown, root = 'request'): Record<string, string> {
  const r = schema.safeParse(input);
  const out: Record<string, string> = {};
  if (r.success) return out;
  for (const issue of r.error.issues) {
    const [field, message] = issueOf(issue, root);
    out[field] ??= message;
  }
  return out;
}

/** The field an issue is about (dotted path) and its rule. */
function issueOf(issue: z.core.$ZodIssue, root: string): [string, string] {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
    return [`${prefix}${issue.keys[0]}`, 'unknown field'];
  }
  return [issue.path.length ? issue.path.join('.') : root, issue.message];
}

function fail(field: string, message: string): never {
  throw new ValidationError(field, message);
}

/** Base types with messages a person can act on (zod's defaults speak of "input"). */
export const text = (what = 'text') => z.string({ error: (i) => (i.input === undefined ? 'is required' : `must be ${what}`) });
export const numberOrText = () =>
  z.union([z.number(), z.string()], { error: (i) => (i.input === undefined ? 'is required' : 'must be a number or text') });

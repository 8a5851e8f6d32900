// main/core/env-vars.ts: environment lists parsed and round-tripped.
import { describe, expect, it } from 'vitest';
import { envFromList, envToList, parseEnv } from '../../../main/core/env-vars';

describe('env', () => {
  it('round-trips env lists', () => {
    const env = parseEnv(['A=1', 'B=', 'C=a=b']);
    expect(env).toEqual({ A: '1', B: '', C: 'a=b' });
    expect(envFromList(envToList(env as Record<string, string>))).toEqual(env);
  });
});

/**
 * Runs a command with a hub session open, closing it afterwards whatever happens — refusing first,
 * with the hub's own reason, when the hub cannot do what the command needs (its capabilities).
 */
import type { Command } from 'commander';
import { requireCapability, type Ability } from '../api/capabilities';
import type { CliIo, GlobalOptions, Session } from './cli-context';
import { openSession } from './open-session';

export type SessionRun = (s: Session, g: GlobalOptions) => Promise<void>;

/** What a command needs of the hub, and the words its refusal starts with ("workspace logs"). */
export interface Needs {
  ability: Ability;
  what: string;
}

export async function withSession(io: CliIo, cmd: Command, run: SessionRun, needs?: Needs): Promise<void> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const session = await openSession(g, io.env);
  try {
    if (needs) await need(session, needs);
    await run(session, g);
  } finally {
    await session.client.close();
  }
}

/** Refuses unless the session's hub can. */
export async function need(s: Session, n: Needs): Promise<void> {
  requireCapability(await s.capabilities(), n.ability, n.what);
}

export const collect = (value: string, prev: string[]) => [...prev, value];

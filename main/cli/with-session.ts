/** Runs a command with a hub session open, closing it afterwards whatever happens. */
import type { Command } from 'commander';
import type { CliIo, GlobalOptions, Session } from './cli-context';
import { openSession } from './open-session';

export type SessionRun = (s: Session, g: GlobalOptions) => Promise<void>;

export async function withSession(io: CliIo, cmd: Command, run: SessionRun): Promise<void> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const session = await openSession(g, io.env);
  try {
    await run(session, g);
  } finally {
    await session.client.close();
  }
}

export const collect = (value: string, prev: string[]) => [...prev, value];

/**
 * invites.json, where invites lived before hub.db had them (beside it, 0600, under its own pid
 * lock, so redeeming spanned two stores). Read once, to move its invites into hub.db
 * (InviteService.moveLegacyFile). Invites are short-lived and re-made in a minute, so a damaged
 * file is set aside (invites.json.corrupt) and logged, never fatal, as it was when it was the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { hubAddressSchema, inviteSchema, type HubAddress, type InviteRecord } from './hub-state';
import { removeStaleTemps } from './legacy-json-store';

const fileSchema = z.object({ version: z.literal(1), invites: z.array(inviteSchema), shared: hubAddressSchema.nullable() });

export interface LegacyInvites {
  invites: InviteRecord[];
  shared: HubAddress | null;
}

/** The file's invites and address; null when there is no file, or it was damaged (then set aside). */
export function readLegacyInvites(file: string, log: (message: string) => void): LegacyInvites | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    log(`${file} is damaged (${r.error.issues[0]?.message ?? 'not JSON'}); it was set aside and its pending invites were dropped`);
    fs.renameSync(file, `${file}.corrupt`);
    return null;
  }
  return { invites: r.data.invites, shared: r.data.shared };
}

/** Keeps the moved file as `<file>.migrated` (what an operator looks for) and drops the old writers' debris. */
export function retireLegacyInvites(file: string): void {
  try {
    fs.renameSync(file, `${file}.migrated`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // another process retired it first
  }
  fs.rmSync(`${file}.lock`, { force: true });
  removeStaleTemps(path.dirname(file), path.basename(file));
}

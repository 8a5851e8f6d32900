/** Reads a JSON request body with a size limit; refuses other media types and broken JSON clearly. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-errors';

export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new HttpError('too_large', `request body is larger than ${limit / 1024} KiB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError('too_large', `request body is larger than ${limit / 1024} KiB`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError('unsupported_media', 'request body must be application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new HttpError('invalid', `request body is not valid JSON (${(e as Error).message})`);
  }
}

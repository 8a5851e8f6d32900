/**
 * HOST:PORT as `hub serve --listen`, `--ssh-listen` and `hubdeck ui --listen` take it. Its own file so
 * the commands that read it do not import each other (hub-commands and ui-command once did). Pure.
 */
import { ValidationError } from '../core/errors';

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ValidationError('listen', `"${text}" is not HOST:PORT (e.g. 0.0.0.0:8585)`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

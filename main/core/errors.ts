/**
 * One error type for the whole product. The `code` decides the HTTP status and CLI exit code at the
 * edges; `field` names the offending input so forms and CLIs can point at it.
 */
export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'quota'
  | 'timeout'
  | 'engine'
  | 'unavailable';

export class HubdeckError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HubdeckError';
  }
}

/** Invalid input. The message always starts with the field, e.g. `memory: "12x" is not a size…`. */
export class ValidationError extends HubdeckError {
  /** `message` is given when rebuilding one that crossed a wire (it already names the field). */
  constructor(field: string, rule: string, message = `${field}: ${rule}`) {
    super('invalid', message, field);
    this.name = 'ValidationError';
  }
}

export function isHubdeckError(e: unknown): e is HubdeckError {
  return e instanceof HubdeckError;
}

/**
 * The hub's own data cannot be read or written (damaged file, full disk). The message names the
 * file for the operator's log and CLI; `publicMessage` is what remote clients get, without paths.
 */
export class StorageError extends HubdeckError {
  constructor(message: string, readonly publicMessage: string) {
    super('unavailable', message);
    this.name = 'StorageError';
  }
}

/** What went wrong, in words, whatever was thrown (an Error's message, else the value as text). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

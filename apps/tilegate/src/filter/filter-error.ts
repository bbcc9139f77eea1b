import { TilegateError, printable } from '@app/errors';

/**
 * A filter that cannot be parsed, names something the layer does not have, or compares values
 * that do not fit. The message says where: a 1-based character position in the filter text.
 */
export class InvalidFilterError extends TilegateError {
  readonly status = 400;
  readonly code = 'invalid_filter';
  constructor(
    message: string,
    /** 1-based character (code point) position in the filter text, when the error has one. */
    readonly position?: number,
    hint?: string,
  ) {
    super(`filter: ${message}`, undefined, hint);
  }

  /** "... at character 14" */
  static at(position: number, message: string, hint?: string): InvalidFilterError {
    return new InvalidFilterError(`${message} at character ${position}`, position, hint);
  }

  /** "... (at character 5)": for messages that end in a quoted name or value. */
  static near(position: number, message: string, hint?: string): InvalidFilterError {
    return new InvalidFilterError(`${message} (at character ${position})`, position, hint);
  }
}

/** Request text quoted in a message: capped and without control characters. */
export function quoted(text: string): string {
  return `'${printable(text, 40)}'`;
}

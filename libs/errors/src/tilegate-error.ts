/**
 * Base of every error a feature throws on purpose. The global exception
 * filter turns these into the contract's JSON body `{ code, message, details?, hint? }`
 * with `status`; anything that is not a TilegateError (or a known SQLSTATE) is a 500
 * whose details are logged, never sent.
 */
export abstract class TilegateError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Extra response headers (WWW-Authenticate, Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
}

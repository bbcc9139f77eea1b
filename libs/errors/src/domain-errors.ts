import { TilegateError } from './tilegate-error';

/** Unknown layer, or one the request's role may not see: the two are never told apart. */
export class LayerNotFoundError extends TilegateError {
  readonly status = 404;
  readonly code = 'layer_not_found';
  constructor(layer?: string) {
    super(layer === undefined ? 'layer not found' : `layer not found: ${printable(layer)}`);
  }
}

/** z/x/y outside the grid, not integers, or an unknown tile extension. */
export class InvalidTileError extends TilegateError {
  readonly status = 400;
  readonly code = 'invalid_tile';
}

/** A query parameter with a bad value, or one the layer does not accept. */
export class InvalidParameterError extends TilegateError {
  readonly status = 400;
  readonly code = 'invalid_parameter';
  constructor(
    readonly parameter: string,
    message: string,
    hint?: string,
  ) {
    super(`parameter '${printable(parameter)}': ${message}`, undefined, hint);
  }
}

/** Missing-but-required, malformed, badly signed, expired... token. Always 401 + WWW-Authenticate. */
export class InvalidTokenError extends TilegateError {
  readonly status = 401;
  readonly code = 'invalid_token';
  constructor(readonly description: string) {
    super(`invalid token: ${description}`);
  }
  override headers(): Record<string, string> {
    // The description is ours (never token text); quotes are stripped to keep the header well-formed.
    const safe = this.description.replace(/["\\\r\n]/g, '');
    return { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${safe}"` };
  }
}

/**
 * A valid token naming a role the authenticator cannot assume. One message whether the role
 * does not exist or is not granted, so a caller cannot probe which roles exist.
 */
export class RoleNotPermittedError extends TilegateError {
  readonly status = 403;
  readonly code = 'role_not_permitted';
  constructor() {
    super('the role in the token may not be used with this server');
  }
}

/** Statement timeout, pool exhausted, database down: try again later. */
export class ServiceUnavailableError extends TilegateError {
  readonly status = 503;
  readonly code = 'service_unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * Echoing request text back is useful ("layer not found: foo") but must stay harmless:
 * cap the length and drop control characters.
 */
export function printable(text: string, max = 100): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * A statement named a column, table or function that no longer exists: the cached layer metadata
 * is stale. Callers reload it and retry; if it reaches the client, trying again will work.
 */
export class StaleCatalogError extends ServiceUnavailableError {
  constructor() {
    super('the layer changed while the request was being answered; try again', 1);
  }
}

/**
 * The HTTP client went away before its answer was ready; its statement was cancelled. Nothing is
 * sent (nobody is listening); 499 is what the access log records, as nginx does.
 */
export class ClientGoneError extends TilegateError {
  readonly status = 499;
  readonly code = 'client_gone';
  constructor() {
    super('the client went away before the answer was ready');
  }
}

/** A path no route serves (as the router says for any unknown path: the same body). */
export class RouteNotFoundError extends TilegateError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor() {
    super('no such route');
  }
}

import { LayerNotFoundError, ServiceUnavailableError, StaleCatalogError, TilegateError } from '@app/errors';

/** An error node-postgres raised for a server response; only these carry a SQLSTATE. */
export function sqlStateOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * SQLSTATEs a tile or catalog statement can end with, as the contract's status codes. Messages
 * are ours: the server's text can name tables, columns or roles and never goes to the client,
 * except for class 22 (data exceptions), whose text describes the value the caller sent.
 */
export function translateDatabaseError(err: unknown): TilegateError | undefined {
  const state = sqlStateOf(err);
  // node-postgres' own deadline (query_timeout) when the server stopped answering: a database fault.
  if (state === undefined) return /timeout/i.test((err as Error | null)?.message ?? '') && !(err instanceof TilegateError) ? new ServiceUnavailableError('the database did not answer in time; try again later', 5) : undefined;
  switch (state) {
    case '42501': // insufficient_privilege: the role may not read it, so it does not exist for them
      return new LayerNotFoundError();
    case '42703': // undefined_column: the layer's metadata is older than the table
    case '42P01': // undefined_table: dropped or renamed since the catalog was read
    case '42883': // undefined_function
    case '3F000': // invalid_schema_name
      return new StaleCatalogError();
    case '57014': // query_canceled: statement_timeout
      return new ServiceUnavailableError('the tile took too long to make; try again later', 5);
    case '53300': // too_many_connections
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '28000': // invalid_authorization_specification (the login role itself)
    case '28P01': // invalid_password
      return new ServiceUnavailableError('the database is unavailable; try again later', 5);
  }
  // undefined_object and its kin, raised by a value (a cast to a reg* type, a function's own
  // look-up): the server's text names what does not exist, so none of it is sent.
  if (state === '42704' || state === '42P02') return new ValueNotAcceptedError();
  if (state.startsWith('08')) return new ServiceUnavailableError('the database connection failed; try again later', 2);
  if (state.startsWith('22')) return new DataExceptionError((err as Error).message);
  return undefined;
}

/** A value the database could not accept, e.g. `abc` for an integer function argument. */
export class DataExceptionError extends TilegateError {
  readonly status = 400;
  readonly code = 'invalid_parameter';
  constructor(serverMessage: string) {
    super('a parameter value was not accepted by the database', serverMessage.slice(0, 300));
  }
}

/** A value the database refused for a reason that would tell what exists; says nothing more. */
export class ValueNotAcceptedError extends TilegateError {
  readonly status = 400;
  readonly code = 'invalid_parameter';
  constructor() {
    super('a parameter value was not accepted by the database');
  }
}

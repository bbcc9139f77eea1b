import { TilegateError } from '@app/errors';

/** The function answered NULL: no such user, or a wrong password; one answer for both. */
export class InvalidCredentialsError extends TilegateError {
  readonly status = 401;
  readonly code = 'invalid_credentials';
  constructor() {
    super('the credentials were not accepted');
  }
  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': 'Bearer realm="tilegate"', 'Cache-Control': 'no-store' };
  }
}

/** Too many failed sign-ins from this address or for this user name. */
export class TooManySignInsError extends TilegateError {
  readonly status = 429;
  readonly code = 'too_many_sign_ins';
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed sign-ins; try again later');
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/** An unknown sign-in function, or one the role may not execute: the same answer. */
export class SignInNotFoundError extends TilegateError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor() {
    super('no such sign-in function');
  }
}

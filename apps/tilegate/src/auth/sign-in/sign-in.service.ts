import { Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig, TokenIssuing } from '@app/config';
import type { RoleTransaction } from '@app/database';
import { LayerNotFoundError } from '@app/errors';
import type { SignInFunction } from '../../catalog/layer.types';
import { LayerRegistry } from '../../catalog/layer-registry';
import { namedArgumentSql, namedCallSql } from '../../tiles/function-tile.sql';
import { FailureLimiter } from './failure-limiter';
import { issuedPayload } from './issued-payload';
import { signInCall } from './sign-in-body';
import { InvalidCredentialsError, SignInNotFoundError, TooManySignInsError } from './sign-in.errors';
import { signToken } from './token-signer';
import { USABLE_SIGN_IN_FUNCTIONS_SQL } from './sql';

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/**
 * Tokens from the database (PostGraphile's pgJwtTypeIdentifier): a function returning the
 * JwtTypeIdentifier composite type runs as the request's role (normally AnonRole), in the
 * request's transaction, with the body's values as its arguments; a row is signed as a token whose
 * claims are the type's fields, NULL is one 401 for "no such user" and "wrong password". Failed
 * sign-ins are limited per client address and per user name.
 */
@Injectable()
export class SignInService {
  private readonly limiter: FailureLimiter;

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly registry: LayerRegistry,
  ) {
    this.limiter = new FailureLimiter((config.jwt?.issuing?.failureWindowSeconds ?? 900) * 1000);
  }

  /** The sign-in functions the request's role may execute. */
  async usable(transaction: RoleTransaction): Promise<SignInFunction[]> {
    if (!this.config.jwt?.issuing) return [];
    const all = [...(await this.registry.signInFunctions()).values()];
    if (all.length === 0) return [];
    const [{ oids }] = await transaction.run((sql) => sql.query<{ oids: string[] }>(USABLE_SIGN_IN_FUNCTIONS_SQL, [`{${all.map((f) => f.oid).join(',')}}`]));
    const usable = new Set(oids.map(Number));
    return all.filter((f) => usable.has(f.oid));
  }

  async signIn(transaction: RoleTransaction, id: string, body: unknown, clientAddress: string): Promise<IssuedToken> {
    const issuing = this.issuing();
    const fn = (await this.registry.signInFunctions()).get(id);
    if (!fn) throw new SignInNotFoundError();
    let call;
    try {
      call = signInCall(body, fn);
    } catch (err) {
      // What a body lacks tells which arguments the function takes: said only to a role that may call it.
      if ((await this.usable(transaction)).some((f) => f.id === id)) throw err;
      throw new SignInNotFoundError();
    }
    const limits: Array<[string, number]> = [
      [`address:${clientAddress}`, issuing.maxFailuresPerAddress],
      [`user:${call.userName}`, issuing.maxFailuresPerUser],
    ];
    const wait = this.limiter.retryAfter(limits);
    if (wait !== undefined) throw new TooManySignInsError(wait);
    const row = await this.callAsRole(transaction, fn, call.args.map(namedArgumentSql));
    if (row === null) {
      this.limiter.failed(limits.map(([key]) => key));
      throw new InvalidCredentialsError();
    }
    this.limiter.succeeded(`user:${call.userName}`);
    const now = Math.floor(Date.now() / 1000);
    const payload = issuedPayload(row, now, issuing, this.config.jwt!);
    return { token: await signToken(payload.text, issuing.signer), expiresIn: Math.max(0, payload.exp - now) };
  }

  /** The function's row as JSON text (to_json keeps every digit), or null; as the request's role. */
  private async callAsRole(transaction: RoleTransaction, fn: SignInFunction, named: string[]): Promise<string | null> {
    const statement = `SELECT pg_catalog.to_json(s.r)::pg_catalog.text AS row FROM (SELECT ${namedCallSql(fn.schema, fn.name, named)} AS r) s`;
    try {
      // On the primary: a sign-in function may write (a last-sign-in time, a failure count).
      const [result] = await transaction.runStatement<{ row: string | null }>(statement, { mayWrite: true });
      return result?.row ?? null;
    } catch (err) {
      // Not allowed to execute it: the same answer as a function that does not exist.
      if (err instanceof LayerNotFoundError) throw new SignInNotFoundError();
      throw err;
    }
  }

  private issuing(): TokenIssuing {
    const issuing = this.config.jwt?.issuing;
    if (!issuing) throw new SignInNotFoundError();
    return issuing;
  }
}

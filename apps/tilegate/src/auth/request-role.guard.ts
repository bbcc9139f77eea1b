import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { setRequestRole } from '@app/database';
import { InvalidTokenError } from '@app/errors';
import { roleFromClaims } from './role-claim';
import { JwtStrategy } from './jwt.strategy';

type RequestLike = { headers: Record<string, string | string[] | undefined> };

/** `Bearer` and a compact JWS: three base64url parts (an empty signature is refused by the verifier). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * Decides which database role a request runs as, before any controller runs SQL:
 * - no JWT configured: the login role, no switch;
 * - no Authorization header: AnonRole;
 * - a valid bearer token: the role its claims name (see roleFromClaims), with its claims.
 * Anything else is a 401. Whether the role may be assumed is the database's answer (a 403 from
 * RoleTransaction), so no list of roles lives here.
 */
@Injectable()
export class RequestRoleGuard implements CanActivate {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    /** null exactly when JWT is not configured (see AuthModule). */
    @Inject(JwtStrategy) private readonly strategy: JwtStrategy | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const jwt = this.config.jwt;
    if (!jwt) {
      setRequestRole(request, { kind: 'login' });
      return true;
    }
    // Fail closed: with JWT configured, a missing strategy must never mean "run as the login role".
    if (!this.strategy) throw new Error('JWT is configured but the token strategy is missing');
    const header = request.headers.authorization;
    if (header === undefined) {
      setRequestRole(request, { kind: 'switch', role: jwt.anonRole, claims: null });
      return true;
    }
    if (typeof header !== 'string' || !BEARER.test(header)) {
      throw new InvalidTokenError('the Authorization header must be "Bearer <token>"');
    }
    const { claims, refusal } = await this.strategy.verifyRequest(request);
    if (!claims) throw refusal instanceof InvalidTokenError ? refusal : new InvalidTokenError('the token is malformed');
    setRequestRole(request, { kind: 'switch', role: roleFromClaims(claims.values, jwt), claims });
    return true;
  }
}

import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { setRequestRole } from '@app/database';
import { InvalidTokenError } from '@app/errors';
import { describeTokenFailure } from './token-failure';
import { roleFromClaims } from './role-claim';

type RequestLike = { headers: Record<string, string | string[] | undefined>; user?: unknown };

/** `Bearer` and a compact JWS: three base64url parts (the signature part may be empty, then it is refused later). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * Decides which database role a request runs as, before any controller runs SQL:
 * - no JWT configured: the login role, no switch;
 * - no Authorization header: AnonRole;
 * - a valid bearer token: the role in its role claim (AnonRole when it has none), with its claims.
 * Anything else is a 401. Whether the role may be assumed is the database's answer (a 403 from
 * RoleTransaction), so no list of roles lives here.
 */
@Injectable()
export class RequestRoleGuard extends AuthGuard('jwt') {
  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const jwt = this.config.jwt;
    if (!jwt) {
      setRequestRole(request, { kind: 'login' });
      return true;
    }
    const header = request.headers.authorization;
    if (header === undefined) {
      setRequestRole(request, { kind: 'switch', role: jwt.anonRole, claims: null });
      return true;
    }
    if (typeof header !== 'string' || !BEARER.test(header)) {
      throw new InvalidTokenError('the Authorization header must be "Bearer <token>"');
    }
    await super.canActivate(context);
    const claims = request.user as Record<string, unknown>;
    setRequestRole(request, { kind: 'switch', role: roleFromClaims(claims, jwt.roleClaimKey, jwt.anonRole), claims });
    return true;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err || !user) throw new InvalidTokenError(describeTokenFailure(err ?? info));
    return user;
  }
}

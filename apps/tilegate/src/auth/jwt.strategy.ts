import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';

/** Shared-secret algorithms only: a secret must never be taken for a public key, or the reverse. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/**
 * Verifies the bearer token with the shared secret (`JwtSecret`): signature, algorithm, `exp` and
 * `nbf` with `JwtClockSkew` of leeway, and `aud` when `JwtAudience` is set. Its result is the
 * token's claims; which role they name is the guard's business.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(TILEGATE_CONFIG) config: TilegateConfig) {
    const jwt = config.jwt!;
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwt.secret,
      algorithms: [...HMAC_ALGORITHMS],
      ignoreExpiration: false,
      audience: jwt.audience.length > 0 ? jwt.audience : undefined,
      jsonWebTokenOptions: { clockTolerance: jwt.clockSkewSeconds },
    });
  }

  validate(claims: unknown): Record<string, unknown> {
    return claims as Record<string, unknown>;
  }
}

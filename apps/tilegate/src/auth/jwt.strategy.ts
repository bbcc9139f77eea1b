import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Passport } from 'passport';
import type { VerifiedClaims } from '@app/database';
import { BearerTokenStrategy } from './bearer-token.strategy';
import { TokenVerifier } from './token-verifier';

/**
 * The bearer strategy, registered with this application's own Passport instance: passport's
 * default instance is process-wide, and a second application in the same process (the e2e tests,
 * the benchmark) would otherwise replace this one's strategy, keys and all.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  // `declare`: the mixin's constructor registers the strategy before field initialisers run.
  declare private ownPassport: InstanceType<typeof Passport> | undefined;

  constructor(verifier: TokenVerifier) {
    super({ verify: (token: string) => verifier.verify(token) });
  }

  getPassportInstance(): InstanceType<typeof Passport> {
    return (this.ownPassport ??= new Passport());
  }

  validate(claims: VerifiedClaims): VerifiedClaims {
    return claims;
  }

  /** Runs the strategy for one request: the verified claims, or the refusal saying why. */
  verifyRequest(request: object): Promise<{ claims?: VerifiedClaims; refusal?: unknown }> {
    return new Promise((resolve, reject) => {
      const middleware = this.getPassportInstance().authenticate('jwt', { session: false }, (err: unknown, user: unknown, info: unknown) =>
        err ? reject(err) : resolve(user ? { claims: user as VerifiedClaims } : { refusal: info }),
      );
      middleware(request, {}, reject);
    });
  }
}

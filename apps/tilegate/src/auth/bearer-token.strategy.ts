import { Strategy } from 'passport-strategy';
import type { VerifiedClaims } from '@app/database';

type Verify = (token: string) => Promise<VerifiedClaims>;
type Done = (err: unknown, user?: unknown) => void;

/**
 * A passport strategy for `Authorization: Bearer <JWT>` that delegates verification to
 * TokenVerifier (jose). passport-jwt is not used: its verifier (jsonwebtoken) cannot check EdDSA
 * and has no JWK set rotation.
 */
export class BearerTokenStrategy extends Strategy {
  name = 'jwt';

  private readonly verify: Verify;
  private readonly onVerified: (claims: VerifiedClaims, done: Done) => void;

  // `validate` is appended by @nestjs/passport's PassportStrategy mixin and calls the subclass's
  // validate(); it is kept as onVerified because the mixin's own `validate` must stay public.
  constructor(options: { verify: Verify }, validate: (...args: any[]) => void) {
    super();
    this.verify = options.verify;
    this.onVerified = validate;
  }

  override authenticate(request: Parameters<Strategy['authenticate']>[0]): void {
    const header = String(request.headers.authorization ?? '');
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (!token) return this.fail('missing bearer token', 401);
    this.verify(token).then(
      (claims) =>
        this.onVerified(claims, (err, user) => {
          if (err) this.error(err as Error);
          else this.success(user as object);
        }),
      // The refusal (an InvalidTokenError saying which check failed) reaches the guard as `info`.
      (refusal: unknown) => this.fail(refusal as never, 401),
    );
  }
}

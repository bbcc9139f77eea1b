import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { jwtVerify } from 'jose';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { InvalidTokenError } from '@app/errors';
import { ClaimsNotStorableError, VerifiedClaims, verifiedClaims } from '@app/database';
import { KeyResolver } from './keys/key-resolver';
import { staticKeyResolver } from './keys/static-keys';
import { RemoteJwks } from './keys/remote-jwks';
import { discoverJwksUri } from './keys/oidc-discovery';
import { describeTokenFailure } from './token-failure';
import { VerifiedTokenCache } from './verified-token-cache';

/** Tokens past this are refused before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Real claims are shallow; deep nesting only costs every JSON walk that follows. */
const MAX_CLAIMS_DEPTH = 16;

/**
 * Verifies bearer tokens: signature with the configured keys (shared secret, public key, JWK set
 * given or fetched), an algorithm the keys allow (so no algorithm confusion), `exp`/`nbf` with
 * JwtClockSkew, and `aud`/`iss` when configured. Header fields that point elsewhere for keys
 * (`jku`, `x5u`, `jwk`) are never followed: keys come only from the configuration. A token that
 * verified is remembered until it expires or the keys change (VerifiedTokenCache).
 */
@Injectable()
export class TokenVerifier implements OnModuleInit {
  private readonly resolveKey: KeyResolver;
  private readonly remote: RemoteJwks | undefined;
  private readonly verified: VerifiedTokenCache;

  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {
    const jwt = config.jwt;
    this.verified = new VerifiedTokenCache(jwt?.clockSkewSeconds ?? 0);
    if (!jwt) {
      this.resolveKey = () => Promise.reject(new Error('JWT is not configured'));
      return;
    }
    if (jwt.keys) {
      this.resolveKey = withIssuedKey(staticKeyResolver(jwt.keys), jwt);
      return;
    }
    let discovered: Promise<string> | undefined;
    this.remote = new RemoteJwks({
      url: () => {
        if (jwt.jwksUrl) return Promise.resolve(jwt.jwksUrl);
        // Discovery is retried after a failure, not cached as one.
        discovered ??= discoverJwksUri(jwt.issuer!).catch((err) => {
          discovered = undefined;
          throw err;
        });
        return discovered;
      },
      cacheTtlMs: jwt.jwksCacheTtlSeconds * 1000,
      cooldownMs: jwt.jwksCooldownSeconds * 1000,
    });
    this.resolveKey = withIssuedKey(this.remote.resolve, jwt);
  }

  /** Fetch the JWK set at start, so the first request does not wait; an unreachable provider is logged, not fatal. */
  async onModuleInit(): Promise<void> {
    if (this.remote) {
      await this.remote.refresh();
      new Logger('JWKS').log(`verifying tokens with keys from ${this.config.jwt!.jwksUrl ?? `the OpenID configuration of ${this.config.jwt!.issuer}`}`);
    }
  }

  async verify(token: string): Promise<VerifiedClaims> {
    // A remembered token still keeps the key set fresh: a refresh that changes it forgets them all.
    void this.remote?.refreshIfStale();
    const generation = this.remote?.generation ?? 0;
    const known = this.verified.get(token, generation);
    if (known) return known;
    return this.verified.remember(token, await this.verifyNow(token), generation);
  }

  private async verifyNow(token: string): Promise<VerifiedClaims> {
    const jwt = this.config.jwt!;
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('the token is too large');
    let claims: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, this.resolveKey, {
        algorithms: jwt.algorithms,
        audience: jwt.audience.length > 0 ? jwt.audience : undefined,
        issuer: jwt.issuer ?? undefined,
        clockTolerance: jwt.clockSkewSeconds,
      });
      claims = result.payload as Record<string, unknown>;
    } catch (err) {
      throw new InvalidTokenError(describeTokenFailure(err));
    }
    if (depthOf(claims) > MAX_CLAIMS_DEPTH) throw new InvalidTokenError('the token claims nest too deeply');
    // A token that never expires is a password that cannot be changed; identity providers always set exp.
    if (jwt.requireExp && typeof claims.exp !== 'number') throw new InvalidTokenError('the token has no expiry (exp)');
    // jose checks exp and nbf; a token issued in the future (beyond the skew) is as wrong as one not valid yet.
    if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + jwt.clockSkewSeconds) {
      throw new InvalidTokenError('the token was issued in the future');
    }
    // The payload exactly as signed, so claims reach PostgreSQL with every digit (see VerifiedClaims).
    const payload = Buffer.from(token.split('.')[1], 'base64url').toString('utf8');
    try {
      return verifiedClaims(payload, claims);
    } catch (err) {
      throw new InvalidTokenError(err instanceof ClaimsNotStorableError ? err.message : 'the token is malformed');
    }
  }
}

/**
 * Tokens tilegate signed itself (JwtSigningKey) carry its key's thumbprint as kid: those verify
 * with its public half, whatever else verifies the identity provider's tokens.
 */
function withIssuedKey(resolve: KeyResolver, jwt: NonNullable<TilegateConfig['jwt']>): KeyResolver {
  const issued = jwt.issuedKey;
  if (!issued) return resolve;
  return (header, token) => (header.kid === issued.kid ? Promise.resolve(issued.publicKey) : resolve(header, token));
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_CLAIMS_DEPTH || value === null || typeof value !== 'object') return depth;
  return Math.max(depth, ...Object.values(value).map((v) => depthOf(v, depth + 1)));
}

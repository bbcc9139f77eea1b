import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';
import type { JwtKeyMaterial } from './jwt-keys';

/** How tokens are signed for sign-in functions: a shared secret (HS256) or a private key. */
export type TokenSigner =
  | { kind: 'secret'; algorithm: 'HS256'; secret: Buffer }
  | { kind: 'key'; algorithm: string; privateKey: KeyObject; publicKey: KeyObject; kid: string; publicJwk: Record<string, unknown> };

/** JwtTypeIdentifier and what goes with it: PostGraphile's pgJwtTypeIdentifier, in tilegate. */
export interface TokenIssuing {
  /** The composite type sign-in functions return: `schema.name`. */
  typeSchema: string;
  typeName: string;
  signer: TokenSigner;
  /** exp for rows without one (JwtTokenTTL). */
  ttlSeconds: number;
  /** Failed sign-ins a client address, and a user name, may make per window before a 429. */
  maxFailuresPerAddress: number;
  maxFailuresPerUser: number;
  failureWindowSeconds: number;
}

/**
 * JwtSigningKey: a PEM or JWK private key (or `@/path` to one), for RS256, ES256/384/512 or
 * EdDSA. Its public half verifies the tokens signed with it, and is published at
 * /.well-known/jwks.json, under a kid that is its RFC 7638 thumbprint.
 */
export function readSigningKey(value: string): Extract<TokenSigner, { kind: 'key' }> {
  let text = value.trim();
  if (text.startsWith('@')) {
    try {
      text = readFileSync(text.slice(1), 'utf8').trim();
    } catch (err) {
      throw new ConfigError('JwtSigningKey', `cannot read ${text.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  let privateKey: KeyObject;
  let wantedAlg: string | undefined;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      if (typeof jwk.d !== 'string') throw new ConfigError('JwtSigningKey', 'holds a JWK without its private part ("d")');
      wantedAlg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
      privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
    } else {
      privateKey = createPrivateKey(text);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('JwtSigningKey', 'is not a PEM or JWK private key');
  }
  const algorithm = wantedAlg ?? algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = thumbprint(jwk);
  return { kind: 'key', algorithm, privateKey, publicKey, kid, publicJwk: { ...jwk, kid, alg: algorithm, use: 'sig' } };
}

function algorithmOf(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'ec':
      return { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? fail(`a curve tilegate does not sign with (${key.asymmetricKeyDetails?.namedCurve})`);
    case 'ed25519':
      return 'EdDSA';
    default:
      return fail(`a ${key.asymmetricKeyType} key; use RSA, EC (P-256, P-384, P-521) or Ed25519`);
  }
}

function fail(reason: string): never {
  throw new ConfigError('JwtSigningKey', `holds ${reason}`);
}

/** RFC 7638: SHA-256 over the key's required members, in order, as compact JSON. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] }[String(jwk.kty)] ?? [];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The signer for JwtTypeIdentifier: JwtSigningKey when set, else JwtSecret when it is a shared
 * secret. Issuing configured with neither stops the start: a public key or a JWK set cannot sign.
 */
export function signerFor(signingKey: Extract<TokenSigner, { kind: 'key' }> | null, keys: JwtKeyMaterial | null): TokenSigner {
  if (signingKey) return signingKey;
  if (keys?.kind === 'secret') return { kind: 'secret', algorithm: 'HS256', secret: keys.secret };
  throw new ConfigError('JwtTypeIdentifier', 'tokens need a key that can sign: set JwtSigningKey (a private key), or a shared JwtSecret');
}

/** `schema.name` of the JWT type, both parts plain or double-quoted identifiers. */
export function parseTypeIdentifier(text: string): { schema: string; name: string } {
  const match = /^(?:"((?:[^"]|"")+)"|([^".\s]+))\.(?:"((?:[^"]|"")+)"|([^".\s]+))$/.exec(text.trim());
  if (!match) throw new ConfigError('JwtTypeIdentifier', `must be schema.type, such as auth.jwt_token, got "${text}"`);
  const part = (quoted: string | undefined, plain: string | undefined) => (quoted !== undefined ? quoted.replace(/""/g, '"') : plain!.toLowerCase());
  return { schema: part(match[1], match[2]), name: part(match[3], match[4]) };
}

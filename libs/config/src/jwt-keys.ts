import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/** What `JwtSecret` holds, once read: a shared secret, a public key, or a JWK set. */
export type JwtKeyMaterial =
  | { kind: 'secret'; secret: Buffer }
  | { kind: 'public-key'; key: KeyObject }
  | { kind: 'jwks'; jwks: { keys: Array<Record<string, unknown>> } };

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const MIN_SECRET_BYTES = 32;

/**
 * `JwtSecret` may be a shared secret, a PEM public key, a JWK or a JWK set (JSON), or
 * `@/path/to/file` holding any of these.
 */
export function readJwtKeyMaterial(value: string): JwtKeyMaterial {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8').trim();
    } catch (err) {
      throw new ConfigError('JwtSecret', `cannot read ${value.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (text.startsWith('-----BEGIN')) {
    try {
      // A private key PEM is accepted too: only its public half is kept.
      return { kind: 'public-key', key: createPublicKey(text) };
    } catch {
      throw new ConfigError('JwtSecret', 'holds a PEM block that is not a public key');
    }
  }
  if (text.startsWith('{')) return jwksFromJson(text);
  // A short HMAC secret can be brute-forced offline from any token it signed.
  if (Buffer.byteLength(text, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError('JwtSecret', `a shared secret must be at least ${MIN_SECRET_BYTES} characters (a short HMAC secret can be guessed from any token it signed)`);
  }
  return { kind: 'secret', secret: Buffer.from(text, 'utf8') };
}

function jwksFromJson(text: string): JwtKeyMaterial {
  let parsed: { keys?: unknown; kty?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('JwtSecret', 'starts with "{" but is not valid JSON (a JWK or a JWK set)');
  }
  const keys = Array.isArray(parsed.keys) ? parsed.keys : typeof parsed.kty === 'string' ? [parsed] : undefined;
  if (!keys || keys.length === 0 || !keys.every((k) => k && typeof k === 'object' && typeof (k as { kty?: unknown }).kty === 'string')) {
    throw new ConfigError('JwtSecret', 'JSON must be a JWK (with "kty") or a JWK set (with "keys")');
  }
  if (keys.some((k) => 'd' in (k as object))) throw new ConfigError('JwtSecret', 'holds a private JWK; give the public key only');
  return { kind: 'jwks', jwks: { keys: keys as Array<Record<string, unknown>> } };
}

/** The algorithms a key can verify; anything else (e.g. HS256 with an RSA key) is algorithm confusion. */
export function algorithmsFor(material: JwtKeyMaterial): string[] {
  if (material.kind === 'secret') return HMAC_ALGORITHMS;
  if (material.kind === 'public-key') return algorithmsForKeyObject(material.key);
  return [...new Set(material.jwks.keys.flatMap((jwk) => algorithmsForJwk(jwk)))];
}

function algorithmsForKeyObject(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec':
      return [{ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? ''].filter(Boolean);
    case 'ed25519':
    case 'ed448':
      return ['EdDSA'];
    default:
      return [];
  }
}

export function algorithmsForJwk(jwk: Record<string, unknown>): string[] {
  if (typeof jwk.alg === 'string') return [jwk.alg];
  switch (jwk.kty) {
    case 'RSA':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'EC':
      return [{ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[String(jwk.crv)] ?? ''].filter(Boolean);
    case 'OKP':
      return ['EdDSA'];
    case 'oct':
      return HMAC_ALGORITHMS;
    default:
      return [];
  }
}

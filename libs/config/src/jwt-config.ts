import type { ConfigKey } from './config-keys';
import { ConfigError } from './config-error';
import { parseClaimPath } from './claim-path';
import { algorithmsFor, ASYMMETRIC_ALGORITHMS, readJwtKeyMaterial } from './jwt-keys';
import type { JwtConfig } from './tilegate-config';
import { parseTypeIdentifier, readSigningKey, signerFor, TokenIssuing, TokenSigner } from './token-issuing';

type Get = <T>(key: ConfigKey) => T;

/**
 * Role switching is on when any key source is configured: JwtSecret, JwtJwksUrl, or JwtIssuer
 * (whose OpenID configuration names the JWK set). The accepted algorithms are those the keys allow,
 * narrowed by JwtAlgorithms; an algorithm the keys cannot verify is a configuration error, so a
 * public key can never be used as an HMAC secret.
 */
export function buildJwtConfig(get: Get): JwtConfig | null {
  const secret = get<string>('JwtSecret');
  const jwksUrl = get<string>('JwtJwksUrl');
  const issuer = get<string>('JwtIssuer');
  const signingKeyText = get<string>('JwtSigningKey');
  const typeIdentifier = get<string>('JwtTypeIdentifier');
  if (!secret && !jwksUrl && !issuer && !signingKeyText) {
    if (typeIdentifier) throw new ConfigError('JwtTypeIdentifier', 'tokens need a key that can sign: set JwtSigningKey (a private key), or a shared JwtSecret');
    return null;
  }
  if (secret && jwksUrl) throw new ConfigError('JwtJwksUrl', 'set either JwtSecret or JwtJwksUrl, not both');
  if (jwksUrl) requireHttpUrl('JwtJwksUrl', jwksUrl);
  if (issuer && !secret && !jwksUrl && !signingKeyText) requireHttpUrl('JwtIssuer', issuer);

  const signingKey = signingKeyText ? readSigningKey(signingKeyText) : null;
  // A signing key alone is the verification key too: its public half checks what it signed.
  const keys = secret ? readJwtKeyMaterial(secret) : signingKey && !jwksUrl && !issuer ? ({ kind: 'public-key', key: signingKey.publicKey } as const) : null;
  const possible = [...new Set([...(keys ? algorithmsFor(keys) : ASYMMETRIC_ALGORITHMS), ...(signingKey ? [signingKey.algorithm] : [])])];
  const wanted = get<string[]>('JwtAlgorithms');
  const refused = wanted.filter((alg) => !possible.includes(alg));
  if (refused.length > 0) throw new ConfigError('JwtAlgorithms', `${refused.join(', ')} cannot be verified with the configured key (it allows ${possible.join(', ') || 'none'})`);
  const algorithms = wanted.length > 0 ? wanted : possible;
  if (algorithms.length === 0) throw new ConfigError('JwtSecret', 'holds no key tilegate can verify tokens with');

  const anonRole = get<string>('AnonRole');
  if (!anonRole.trim()) throw new ConfigError('AnonRole', 'must name a role when role switching is on');
  const roleClaimKey = get<string>('JwtRoleClaimKey');
  if (!roleClaimKey.trim()) throw new ConfigError('JwtRoleClaimKey', 'must not be empty');
  const unmappedRole = get<string>('JwtUnmappedRole');
  if (unmappedRole !== 'refuse' && unmappedRole !== 'anonymous') throw new ConfigError('JwtUnmappedRole', `must be "refuse" or "anonymous", got "${unmappedRole}"`);
  const roleMap = get<Record<string, string>>('JwtRoleMap');

  return {
    keys,
    jwksUrl: jwksUrl || null,
    issuer: issuer || null,
    discover: !keys && !jwksUrl && Boolean(issuer),
    algorithms,
    audience: get('JwtAudience'),
    clockSkewSeconds: get('JwtClockSkew'),
    requireExp: get('JwtRequireExp'),
    anonRole,
    roleClaimKey,
    roleClaimPath: parseClaimPath(roleClaimKey),
    roleMap: Object.keys(roleMap).length > 0 ? roleMap : null,
    unmappedRole,
    jwksCacheTtlSeconds: get('JwtJwksCacheTTL'),
    jwksCooldownSeconds: get('JwtJwksCooldown'),
    issuedKey: signingKey ? { kid: signingKey.kid, algorithm: signingKey.algorithm, publicKey: signingKey.publicKey, publicJwk: signingKey.publicJwk } : null,
    issuing: typeIdentifier ? issuingFor(get, typeIdentifier, signerFor(signingKey, keys)) : null,
  };
}

function issuingFor(get: Get, typeIdentifier: string, signer: TokenSigner): TokenIssuing {
  const { schema, name } = parseTypeIdentifier(typeIdentifier);
  return {
    typeSchema: schema,
    typeName: name,
    signer,
    ttlSeconds: get('JwtTokenTTL'),
    maxFailuresPerAddress: get('SignInMaxFailures'),
    maxFailuresPerUser: get('SignInMaxFailuresPerUser'),
    failureWindowSeconds: get('SignInFailureWindow'),
  };
}

function requireHttpUrl(key: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(key, `is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(key, 'must be an http(s) URL');
}

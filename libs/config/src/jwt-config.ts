import type { ConfigKey } from './config-keys';
import { ConfigError } from './config-error';
import { parseClaimPath } from './claim-path';
import { algorithmsFor, ASYMMETRIC_ALGORITHMS, readJwtKeyMaterial } from './jwt-keys';
import type { JwtConfig } from './tilegate-config';

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
  if (!secret && !jwksUrl && !issuer) return null;
  if (secret && jwksUrl) throw new ConfigError('JwtJwksUrl', 'set either JwtSecret or JwtJwksUrl, not both');
  if (jwksUrl) requireHttpUrl('JwtJwksUrl', jwksUrl);
  if (issuer && !secret && !jwksUrl) requireHttpUrl('JwtIssuer', issuer);

  const keys = secret ? readJwtKeyMaterial(secret) : null;
  const possible = keys ? algorithmsFor(keys) : ASYMMETRIC_ALGORITHMS;
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
    discover: !keys && !jwksUrl,
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

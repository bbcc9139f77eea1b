import { createSecretKey } from 'node:crypto';
import { CompactSign } from 'jose';
import type { TokenSigner } from '@app/config';

/**
 * Signs a payload given as JSON text (jose's SignJWT would re-encode an object and round big
 * numbers): HS256 with the shared JwtSecret, or JwtSigningKey's algorithm, with its thumbprint
 * as kid so the verifier finds its public half.
 */
export function signToken(payload: string, signer: TokenSigner): Promise<string> {
  const bytes = new TextEncoder().encode(payload);
  if (signer.kind === 'secret') return new CompactSign(bytes).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(createSecretKey(signer.secret));
  return new CompactSign(bytes).setProtectedHeader({ alg: signer.algorithm, typ: 'JWT', kid: signer.kid }).sign(signer.privateKey);
}

import { createSecretKey } from 'node:crypto';
import { createLocalJWKSet } from 'jose';
import type { JwtKeyMaterial } from '@app/config';
import { KeyResolver } from './key-resolver';

/** Keys given in JwtSecret: one secret, one public key, or a JWK set chosen from by `kid`. */
export function staticKeyResolver(material: JwtKeyMaterial): KeyResolver {
  switch (material.kind) {
    case 'secret': {
      const key = createSecretKey(material.secret);
      return async () => key;
    }
    case 'public-key':
      return async () => material.key;
    case 'jwks': {
      const set = createLocalJWKSet(material.jwks as never);
      return (header, token) => set(header, token);
    }
  }
}

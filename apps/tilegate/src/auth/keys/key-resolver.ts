import type { JWSHeaderParameters, FlattenedJWSInput, KeyLike } from 'jose';

/** Picks the key for a token from its protected header (jose's getKey contract). */
export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike | Uint8Array>;

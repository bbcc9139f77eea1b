import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The first byte of a sealed entry: a later format can be told from this one. */
const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/**
 * Seals tiles for Redis with RedisSecret: AES-256-GCM, with the entry's full Redis key (namespace,
 * epoch, layer generations, cache key) as associated data. Whoever can read Redis reads no tile;
 * whoever can write to it can make tilegate miss, but cannot make it serve bytes it did not store
 * under that very key: an entry copied to another role's or tenant's key, or to a newer generation,
 * fails to open. Every replica derives the same key from the same secret. Nonces are random (96
 * bits), which stays safe for billions of entries per secret.
 */
export class EntrySeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'tilegate redis entries', 'aes-256-gcm format 1', 32));
  }

  seal(redisKey: string, tile: Buffer): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(redisKey));
    const body = Buffer.concat([cipher.update(tile), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), nonce, cipher.getAuthTag(), body]);
  }

  /** The tile sealed under `redisKey` with this secret, or undefined for anything else. */
  open(redisKey: string, sealed: Buffer): Buffer | undefined {
    if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(redisKey));
    decipher.setAuthTag(sealed.subarray(1 + NONCE_BYTES, HEADER_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The first byte of a sealed entry: a later format can be told from this one. */
const FORMAT = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DEADLINE_BYTES = 8;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES + DEADLINE_BYTES;

/** Where an entry lives: each part goes into the associated data on its own (see `associatedData`). */
export interface EntryAddress {
  namespace: string;
  /** The generation tag the lookup built the key with. */
  generations: string;
  entryKey: string;
}

export interface OpenedEntry {
  tile: Buffer;
  /** Epoch milliseconds after which the entry must not be served (render time + its lifetime). */
  deadlineMs: number;
}

/**
 * Seals tiles for Redis with RedisSecret: AES-256-GCM, bound to the entry's address (database,
 * generation tag, cache key) and to its deadline. Whoever can read Redis reads no tile; whoever
 * can write to it can make tilegate miss, but cannot make it serve bytes it did not store at that
 * very address, nor serve them after their deadline: an entry copied to another role's or
 * tenant's key, to another database or generation, or kept past its TTL (PERSIST, a saved copy
 * written back) does not open. Every replica derives the same key from the same secret. Nonces
 * are random (96 bits), which stays safe for billions of entries per secret.
 */
export class EntrySeal {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'tilegate redis entries', 'aes-256-gcm format 2', 32));
  }

  seal(address: EntryAddress, tile: Buffer, deadlineMs: number): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const deadline = Buffer.alloc(DEADLINE_BYTES);
    deadline.writeDoubleBE(deadlineMs);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(address, deadline));
    const body = Buffer.concat([cipher.update(tile), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), nonce, cipher.getAuthTag(), deadline, body]);
  }

  /**
   * The tile sealed at `address` with this secret, or undefined for anything else. `expired`: it
   * was, but its deadline has passed (a plain miss: replicas' clocks may differ a little).
   */
  open(address: EntryAddress, sealed: Buffer): OpenedEntry | 'expired' | undefined {
    if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT) return undefined;
    const deadline = sealed.subarray(1 + NONCE_BYTES + TAG_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(address, deadline));
    decipher.setAuthTag(sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES));
    let tile: Buffer;
    try {
      tile = Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
    const deadlineMs = deadline.readDoubleBE();
    return this.now() < deadlineMs ? { tile, deadlineMs } : 'expired';
  }
}

/**
 * Each part length-prefixed, so no two addresses give the same bytes: a database name may hold
 * a ':', and the tag comes from Redis (a writer could make "a:b" + "c" read as "a" + "b:c").
 */
function associatedData(address: EntryAddress, deadline: Buffer): Buffer {
  const parts = [address.namespace, address.generations, address.entryKey].map((text) => Buffer.from(text, 'utf8'));
  const lengths = Buffer.alloc(4 * parts.length);
  parts.forEach((part, i) => lengths.writeUInt32BE(part.length, 4 * i));
  return Buffer.concat([Buffer.from([FORMAT]), lengths, ...parts, deadline]);
}

import { Logger } from '@nestjs/common';

/** Distinct `jwt.claims.<key>` names one process defines on its connections; more are left to the JSON. */
const MAX_KEYS = 256;

/**
 * Makes an absent claim read the same on every connection. Once a transaction has set
 * `jwt.claims.sub`, PostgreSQL keeps that placeholder on the connection: after COMMIT it reads
 * `''`, while on a fresh connection it reads NULL. A policy testing `IS NOT NULL` then depended on
 * which connection a request got. So every key this process has ever set is defined on each
 * connection before that connection's next request: to the claim's value when the request has it,
 * else to `''` (transaction-local, which leaves `''` behind, exactly like a key set before).
 * A key no request has carried yet is NULL on every connection. Keys only ever get added.
 */
export class ClaimKeys {
  private readonly logger = new Logger('Claims');
  private readonly keys: string[] = [];
  private readonly known = new Set<string>();
  /** How many of `keys` each connection has had defined. */
  private readonly definedOn = new WeakMap<object, number>();
  private full = false;

  /**
   * Registers the request's keys and returns those the connection still lacks and the request does
   * not set, to be blanked; marks the connection as having them all. Keys past the limit are
   * dropped from `present`'s settings by the caller (see settable).
   */
  missingOn(connection: object, present: ReadonlyArray<string>): string[] {
    for (const key of present) this.add(key);
    const defined = this.definedOn.get(connection) ?? 0;
    this.definedOn.set(connection, this.keys.length);
    if (defined === this.keys.length) return [];
    const set = new Set(present);
    return this.keys.slice(defined).filter((key) => !set.has(key));
  }

  /** Whether `jwt.claims.<key>` may be set: it is (or could become) one of the known keys. */
  settable(key: string): boolean {
    return this.known.has(key);
  }

  private add(key: string): void {
    if (this.known.has(key)) return;
    if (this.keys.length >= MAX_KEYS) {
      if (!this.full) this.logger.warn(`more than ${MAX_KEYS} distinct claim keys seen; further keys are only in request.jwt.claims`);
      this.full = true;
      return;
    }
    this.known.add(key);
    this.keys.push(key);
  }
}

import { Injectable, Logger } from '@nestjs/common';

/** Distinct `jwt.claims.<key>` names one process defines on its connections; more are left to the JSON. */
const MAX_KEYS = 256;

/**
 * A setting's identity: PostgreSQL compares setting names without regard to ASCII case
 * (`jwt.claims.Tenant` is `jwt.claims.tenant`), so keys are kept folded. Otherwise one token's
 * `Tenant` made the next request on each connection blank its own `tenant`.
 */
export function settingKey(key: string): string {
  return key.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

/**
 * Makes an absent claim read the same on every connection, whatever ran there before. Once a
 * transaction has set `jwt.claims.sub`, PostgreSQL keeps that placeholder on the connection: after
 * COMMIT it reads `''`, while on a fresh connection it reads NULL, and nothing can undefine it. A
 * policy testing `IS NOT NULL` then showed anonymous requests rows once a token had used their
 * connection. So every key that matters is defined on every connection before its next request:
 * to the claim's value when the request has one, else to `''` (transaction-local, which leaves
 * `''` behind, exactly like a key set before). The keys that matter are those the database's
 * policies, functions and views name (declared at each catalog load, so they are `''` from the
 * first request on), and any a token has carried. Keys only ever get added, folded (settingKey).
 */
@Injectable()
export class ClaimKeys {
  private readonly logger = new Logger('Claims');
  private readonly keys: string[] = [];
  private readonly known = new Set<string>();
  /** How many of `keys` each connection has had defined. */
  private readonly definedOn = new WeakMap<object, number>();
  private full = false;

  /** Keys the database's own SQL reads (`current_setting('jwt.claims.<key>')` in a policy, function or view). */
  declare(keys: Iterable<string>): void {
    for (const key of keys) this.add(key);
  }

  /**
   * Registers the request's keys and returns those the connection still lacks and the request does
   * not set, to be blanked; marks the connection as having them all.
   */
  missingOn(connection: object, present: ReadonlyArray<string>): string[] {
    for (const key of present) this.add(key);
    const defined = this.definedOn.get(connection) ?? 0;
    this.definedOn.set(connection, this.keys.length);
    if (defined === this.keys.length) return [];
    const set = new Set(present.map(settingKey));
    return this.keys.slice(defined).filter((key) => !set.has(key));
  }

  /** Whether `jwt.claims.<key>` may be set: one of the known keys (past the limit, new keys are not). */
  settable(key: string): boolean {
    return this.known.has(settingKey(key));
  }

  private add(raw: string): void {
    const key = settingKey(raw);
    if (this.known.has(key)) return;
    if (this.keys.length >= MAX_KEYS) {
      if (!this.full) this.logger.warn(`more than ${MAX_KEYS} distinct claim keys; further keys are only in request.jwt.claims`);
      this.full = true;
      return;
    }
    this.known.add(key);
    this.keys.push(key);
  }
}

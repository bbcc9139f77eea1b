/**
 * Whether the Redis level may be used. Shared entries are only right while every invalidation
 * reached Redis: one that failed (Redis down, a timeout) may have left a changed layer's
 * generation where it was, and a connection that dropped may come back to a Redis that restarted
 * empty or from an old snapshot. Either way the level is distrusted until an epoch bump that
 * STARTED after the last reason to distrust has succeeded: the bump orphans everything stored
 * before it, and so covers whatever was missed.
 *
 * Pure and synchronous; the caller does the Redis calls and reports what happened.
 */
export class RedisTrust {
  private clock = 0;
  private lastDistrust = 0;
  private trustedPeriod: number | undefined;

  /** Untrusted at first: a replica that starts cannot know what changed while nobody listened. */
  get trusted(): boolean {
    return this.trustedPeriod !== undefined;
  }

  /**
   * An id of the current trusted stretch, undefined while untrusted. A lookup that sees the same
   * id before and after its round trip did not overlap a loss of trust.
   */
  get period(): number | undefined {
    return this.trustedPeriod;
  }

  /** An invalidation failed, a bump failed, or the connection was lost. */
  distrust(): void {
    this.lastDistrust = ++this.clock;
    this.trustedPeriod = undefined;
  }

  /** Call just before sending an epoch bump; pass the ticket to bumpSucceeded(). */
  beginBump(): number {
    return ++this.clock;
  }

  /**
   * The bump with this ticket succeeded. Trust comes back only if nothing went wrong since it was
   * sent: a failure in between may be a change the bump did not cover. Returns whether trusted.
   */
  bumpSucceeded(ticket: number): boolean {
    if (ticket > this.lastDistrust && this.trustedPeriod === undefined) this.trustedPeriod = ++this.clock;
    return this.trusted;
  }
}

export interface BackoffLimits {
  initialMs: number;
  maxMs: number;
}

/**
 * Delays between reconnection attempts: initialMs, doubling to maxMs. A database that is down for
 * minutes sees one attempt every maxMs, not a storm; one that comes straight back is found fast.
 */
export class ReconnectBackoff {
  private nextMs: number;

  constructor(private readonly limits: BackoffLimits) {
    this.nextMs = limits.initialMs;
  }

  /** The delay before the next attempt; each call doubles the one after it. */
  next(): number {
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.limits.maxMs);
    return delay;
  }

  /** A connection succeeded: the next failure starts again from initialMs. */
  reset(): void {
    this.nextMs = this.limits.initialMs;
  }
}

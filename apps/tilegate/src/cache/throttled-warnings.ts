/** A logger's warn, as the cache's Redis level uses it. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * At most one warning per kind every `intervalMs`: a Redis that is down, or one that keeps
 * failing a command, must not flood the log. `context` is added to every warning.
 */
export class ThrottledWarnings {
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly logger: WarnLogger,
    private readonly context: object,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(kind: string, obj: object, msg: string): void {
    const now = this.now();
    if (now - (this.lastAt.get(kind) ?? -Infinity) < this.intervalMs) return;
    this.lastAt.set(kind, now);
    this.logger.warn({ ...obj, ...this.context }, msg);
  }

  /** Things are well again: the next failure of any kind is told at once. */
  reset(): void {
    this.lastAt.clear();
  }
}

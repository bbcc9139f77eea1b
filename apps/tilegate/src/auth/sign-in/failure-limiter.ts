/** Keys remembered at most; the oldest is forgotten first, so the limiter's memory is bounded whatever clients send. */
const MAX_KEYS = 10000;

interface Window {
  count: number;
  startedMs: number;
}

/**
 * Failed sign-ins per key (a client address, a user name), in fixed windows: past `max` failures
 * in a window, a key is refused until the window ends, whether or not the next attempt would be
 * right. A success clears its user name's count (not its address's: one right password does not
 * buy an address more guesses at other users). In memory, per process.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when any of the keys is over its limit, else undefined. */
  retryAfter(keys: Array<[string, number]>): number | undefined {
    let wait: number | undefined;
    for (const [key, max] of keys) {
      const window = this.current(key);
      if (window && window.count >= max) wait = Math.max(wait ?? 0, Math.ceil((window.startedMs + this.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  failed(keys: string[]): void {
    for (const key of keys) {
      const window = this.current(key) ?? { count: 0, startedMs: this.now() };
      window.count++;
      this.windows.delete(key);
      this.windows.set(key, window);
      if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
    }
  }

  succeeded(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.startedMs >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}

import { Logger } from '@nestjs/common';
import { createLocalJWKSet, errors } from 'jose';
import { KeyResolver } from './key-resolver';

type LocalSet = ReturnType<typeof createLocalJWKSet>;

export interface RemoteJwksOptions {
  /** Where the set is; a function so OpenID discovery can run lazily, and again after failures. */
  url: () => Promise<string>;
  cacheTtlMs: number;
  cooldownMs: number;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * An identity provider's JWK set, cached. Keys are refreshed in the background after the TTL;
 * a token whose `kid` is unknown triggers one refresh, at most once per cooldown; while the
 * provider is unreachable the known keys keep working and the failure is logged once, not per
 * request; a key removed from the set stops working at the next successful refresh. HMAC (`oct`)
 * keys in a remote set are ignored: a published key is public, never a shared secret.
 */
export class RemoteJwks {
  private readonly logger = new Logger('JWKS');
  private keys: LocalSet | undefined;
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;
  private refreshing: Promise<void> | undefined;
  private failing = false;
  /** Counts successful fetches: what was verified under an older set may not hold under this one. */
  private fetches = 0;

  constructor(private readonly options: RemoteJwksOptions) {}

  readonly resolve: KeyResolver = async (header, token) => {
    const refresh = this.refreshIfStale();
    if (!this.keys) await refresh;
    try {
      return await this.current()(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // An unknown kid may be a freshly rotated key: look again, but not more than once per cooldown.
      if (this.now() - this.attemptedAt < this.options.cooldownMs) throw err;
      await this.refresh();
      return this.current()(header, token);
    }
  };

  /** Changes whenever a new copy of the set is in use (see VerifiedTokenCache). */
  get generation(): number {
    return this.fetches;
  }

  /**
   * Starts a refresh once the set is older than its TTL (not more than once a cooldown), and goes
   * on answering from the known keys while the provider is slow or down. Called for every token,
   * remembered ones included, so a removed key stops working on time.
   */
  refreshIfStale(): Promise<void> {
    const retryMs = Math.max(this.options.cooldownMs, 1000);
    if (this.now() - this.fetchedAt > this.options.cacheTtlMs && this.now() - this.attemptedAt >= retryMs) return this.refresh();
    return Promise.resolve();
  }

  /** Fetches the set now (at start-up); failures are logged, not thrown. */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchKeys().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private current(): LocalSet {
    if (!this.keys) throw new errors.JWKSNoMatchingKey();
    return this.keys;
  }

  private async fetchKeys(): Promise<void> {
    this.attemptedAt = this.now();
    try {
      const url = await this.options.url();
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000), headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error(`${url} is not a JWK set`);
      const keys = body.keys.filter((k) => k && typeof k === 'object' && (k as { kty?: unknown }).kty !== 'oct');
      this.keys = createLocalJWKSet({ keys } as never);
      this.fetches++;
      this.fetchedAt = this.now();
      if (this.failing) this.logger.log(`the JWK set is reachable again (${keys.length} keys)`);
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.error(`cannot fetch the JWK set; known keys keep working: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

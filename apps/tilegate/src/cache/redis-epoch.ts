import type Redis from 'ioredis';
import { freshEpoch } from './redis-keys';
import { RedisTrust } from './redis-trust';

export interface RedisEpochEvents {
  /** An epoch bump or a layer invalidation failed (the caller counts and warns). */
  failed(what: string, err: unknown): void;
  /** Trusted again after an epoch bump on a (re)connected Redis. */
  recovered(): void;
  /** The connection dropped while the level was trusted. */
  lost(): void;
}

/**
 * When the shared level may be read, and how it becomes so again (RedisTrust decides what
 * counts): on every (re)connect, and after any failed invalidation, by installing a fresh epoch,
 * which orphans whatever was stored before. While connected nothing else would retry a failed
 * bump, so it is retried after `recoveryDelayMs`; after a reconnect, 'ready' does it.
 */
export class RedisEpoch {
  private readonly trust = new RedisTrust();
  private recovering = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly client: Redis,
    private readonly stateKey: string,
    private readonly recoveryDelayMs: number,
    private readonly events: RedisEpochEvents,
  ) {
    client.on('close', () => this.connectionLost());
    client.on('ready', () => void this.recover());
  }

  /** An id of the current trusted stretch (RedisTrust.period), undefined while untrusted. */
  get period(): number | undefined {
    return this.trust.period;
  }

  get trusted(): boolean {
    return this.trust.trusted;
  }

  /** Installs a fresh epoch: nothing stored before is read again, by any replica. */
  async bump(): Promise<boolean> {
    if (this.closed) return false;
    const ticket = this.trust.beginBump();
    try {
      await this.client.hset(this.stateKey, 'epoch', freshEpoch());
    } catch (err) {
      this.invalidationFailed('epoch bump', err);
      return false;
    }
    return this.trust.bumpSucceeded(ticket);
  }

  /** An invalidation that may not have reached Redis: distrust until a bump succeeds. */
  invalidationFailed(what: string, err: unknown): void {
    this.events.failed(what, err);
    this.trust.distrust();
    this.scheduleRecovery();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.recoveryTimer);
    this.trust.distrust();
  }

  private async recover(): Promise<void> {
    if (this.closed || this.recovering) return;
    this.recovering = true;
    try {
      if (await this.bump()) this.events.recovered();
    } finally {
      this.recovering = false;
    }
  }

  private connectionLost(): void {
    if (this.closed) return;
    if (this.trust.trusted) this.events.lost();
    this.trust.distrust();
  }

  private scheduleRecovery(): void {
    if (this.closed || this.recoveryTimer) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (!this.closed && this.client.status === 'ready' && !this.trust.trusted) void this.recover();
    }, this.recoveryDelayMs);
    this.recoveryTimer.unref();
  }
}

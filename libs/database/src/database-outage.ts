import type { LoggerService } from '@nestjs/common';

/**
 * Says once that the database became unreachable and once that it is back, however many
 * requests fail in between: an outage must not flood the log with one line per request.
 */
export class DatabaseOutage {
  private since: number | undefined;
  private failures = 0;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn' | 'log'>,
    private readonly now: () => number = Date.now,
  ) {}

  failed(reason: string): void {
    this.failures++;
    if (this.since !== undefined) return;
    this.since = this.now();
    this.logger.warn(`database unreachable: ${reason}`);
  }

  recovered(): void {
    if (this.since === undefined) return;
    const seconds = ((this.now() - this.since) / 1000).toFixed(1);
    this.logger.log(`database reachable again after ${seconds} s (${this.failures} failure${this.failures === 1 ? '' : 's'})`);
    this.since = undefined;
    this.failures = 0;
  }

  get ongoing(): boolean {
    return this.since !== undefined;
  }
}

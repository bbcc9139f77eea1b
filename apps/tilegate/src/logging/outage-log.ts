import type pino from 'pino';

/** The part of a pino logger an OutageLog writes to (a child with `context` set, say). */
export type OutageLogger = Pick<pino.Logger, 'warn' | 'info'>;

/**
 * One warn line when a dependency (the database) stops answering and one info line when it
 * answers again, however many requests fail in between: an outage at 2,000 tiles a second is
 * then two lines, not a flood that hides everything else. Call `failed` on each failure and
 * `recovered` on each success; a success outside an outage costs nothing and writes nothing.
 *
 * Lines: `database unreachable: <reason>` (warn), then `database reachable again after 12.3 s,
 * 57 requests failed` (info), each with `outage` (what), and on recovery `outage_s` and `failures`.
 */
export class OutageLog {
  private startedAt: number | undefined;
  private failures = 0;

  constructor(
    private readonly logger: OutageLogger,
    private readonly what: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True between the first failure and the next success. */
  get down(): boolean {
    return this.startedAt !== undefined;
  }

  failed(reason: string): void {
    this.failures++;
    if (this.startedAt !== undefined) return;
    this.startedAt = this.now();
    this.logger.warn({ outage: this.what }, `${this.what} unreachable: ${reason}`);
  }

  recovered(): void {
    if (this.startedAt === undefined) return;
    const seconds = Math.round((this.now() - this.startedAt) / 100) / 10;
    const failures = this.failures;
    this.startedAt = undefined;
    this.failures = 0;
    this.logger.info(
      { outage: this.what, outage_s: seconds, failures },
      `${this.what} reachable again after ${seconds.toFixed(1)} s, ${failures} ${failures === 1 ? 'request' : 'requests'} failed`,
    );
  }
}

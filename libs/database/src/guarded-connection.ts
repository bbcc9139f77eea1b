import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import { ClientGoneError } from '@app/errors';
import { cancelBackend } from './backend-cancel';

/**
 * One pooled connection for one transaction, whose statements stop when nobody waits for them:
 * - when the HTTP client goes away (`abandoned` fires), the running statement is cancelled, so a
 *   map panning past slow tiles does not hold the pool for their whole run; the transaction is
 *   then rolled back and the connection goes back to the pool clean;
 * - when PostgreSQL has not answered within `deadlineMs` (it ends a statement itself at
 *   statement_timeout; past that it has stopped answering: a network partition, a frozen host),
 *   the statement is cancelled and the connection is given up.
 */
export class GuardedConnection {
  /** Set when the connection can no longer be trusted; it is then destroyed, not returned. */
  broken: Error | undefined;
  /** Why a statement was stopped by us, if it was. */
  stopped: 'abandoned' | 'deadline' | undefined;
  private released = false;
  /** A cancel request on its way: the connection is not handed on before the server has read it. */
  private cancelling: Promise<void> | undefined;

  constructor(
    readonly client: PoolClient,
    private readonly deadlineMs: number,
    private readonly abandoned: AbortSignal | undefined,
  ) {}

  /** A statement (a prepared one as a QueryConfig); refused at once once the client has gone. */
  async query(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult> {
    if (this.abandoned?.aborted) {
      this.stopped ??= 'abandoned';
      throw new ClientGoneError();
    }
    const onAbandon = () => this.cancel('abandoned');
    this.abandoned?.addEventListener('abort', onAbandon, { once: true });
    try {
      return await this.send(text, values);
    } finally {
      this.abandoned?.removeEventListener('abort', onAbandon);
    }
  }

  /** ROLLBACK, sent even after the client has gone: it is what makes the connection clean again. */
  rollback(): Promise<QueryResult> {
    return this.send('ROLLBACK');
  }

  /** Back to the pool (once the server has read any cancel sent for it), or destroyed when broken; once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.cancelling;
    this.client.release(this.broken);
  }

  private async send(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult> {
    const deadline = setTimeout(() => {
      this.cancel('deadline');
      // A server that does not answer a cancel either: give the connection up, which ends the wait.
      this.broken = new Error('the database did not answer in time');
      if (!this.released) {
        this.released = true;
        this.client.release(this.broken);
      }
    }, this.deadlineMs);
    try {
      return (await (typeof text === 'string' ? this.client.query(text, values) : this.client.query(text))) as QueryResult;
    } finally {
      clearTimeout(deadline);
    }
  }

  private cancel(why: 'abandoned' | 'deadline'): void {
    this.stopped ??= why;
    this.cancelling ??= cancelBackend(this.client);
  }
}

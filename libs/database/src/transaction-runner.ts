import { Logger } from '@nestjs/common';
import type { QueryResult } from 'pg';
import { ClientGoneError, RoleNotPermittedError, ServiceUnavailableError, TilegateError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import type { ConnectionSource } from './pooled-clients';
import type { ReadReplicas } from './read-replicas';
import { sqlStateOf, translateDatabaseError } from './database-errors';
import { openTransactionSql, Setting, wholeTransactionSql } from './transaction-sql';
import { SqlRunner, sqlRunnerFor } from './sql-runner';
import { GuardedConnection } from './guarded-connection';

/** What a transaction is opened with. */
export interface TransactionPlan {
  /** Its settings; a function of the connection, because claim keys to blank depend on it. */
  settings(connection: object): Setting[];
  readOnly?: boolean;
  /** The settings switch role: a refusal (22023, 42501) is a 403, told apart from the statement's own 42501. */
  switchesRole: boolean;
  /** Only reads, and may see data up to DbReadMaxLagSeconds old: may run on a read replica. */
  mayUseReplica?: boolean;
  /** The request's abandon signal (request-context.ts): its running statement is cancelled when it fires. */
  abandoned?: () => AbortSignal;
}

/** A transaction on a replica that failed for the replica's sake, not the statement's: it runs again on the primary. */
class ReplicaFailed extends Error {}

/** Past statement_timeout by this much without an answer, PostgreSQL has stopped answering. */
const UNANSWERED_GRACE_MS = 5000;

/**
 * The one place transactions are run: takes a pooled connection, opens the transaction with its
 * settings, runs the work, commits or rolls back, and releases the connection in every case. A
 * connection whose state is in doubt (the rollback failed, the socket broke, the server stopped
 * answering) is destroyed rather than returned to the pool; the request gets a 503. When the HTTP
 * client goes away, the running statement is cancelled (GuardedConnection). Errors leave as the
 * contract's errors (translateDatabaseError).
 * Internal to libs/database: features use RoleTransaction (as the request's role) or
 * CatalogReader (shared metadata, as the login role).
 */
export class TransactionRunner {
  private static readonly logger = new Logger('Transaction');

  constructor(
    private readonly pool: ConnectionPool,
    private readonly replicas?: ReadReplicas,
  ) {}

  async run<T>(plan: TransactionPlan, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.routed(plan, async (connection) => {
      try {
        await connection.query(openTransactionSql(plan.settings(connection.client), plan));
      } catch (err) {
        await this.rollback(connection);
        throw (plan.switchesRole && roleRefusal(err)) || err;
      }
      let result: T;
      try {
        result = await work(sqlRunnerFor((text, values) => connection.query(text, values)));
      } catch (err) {
        await this.rollback(connection);
        throw err;
      }
      await connection.query('COMMIT');
      return result;
    });
  }

  /**
   * One statement in one round trip: BEGIN, the settings, the statement and COMMIT go to PostgreSQL
   * as one message (see wholeTransactionSql). The hot path of tiles. The statement takes no
   * parameters: every value in it must already be an escaped literal. Returns its rows.
   */
  async runStatement<R extends object>(plan: TransactionPlan, statement: string): Promise<R[]> {
    return this.routed(plan, async (connection) => {
      let results: Array<QueryResult<R>>;
      try {
        results = (await connection.query(wholeTransactionSql(plan.settings(connection.client), statement, plan))) as unknown as Array<QueryResult<R>>;
      } catch (err) {
        // Whichever statement failed, PostgreSQL skipped the rest and the transaction is aborted.
        await this.rollback(connection);
        if (plan.switchesRole && roleRefusal(err) && (await this.settingsRefused(connection, plan))) throw new RoleNotPermittedError();
        throw err;
      }
      // BEGIN, the settings, the statement, COMMIT: four results, the statement's third.
      return results[2].rows;
    });
  }

  /**
   * On a usable replica when the plan allows it, else on the primary. A transaction that fails on
   * the replica for the replica's sake (it cannot be reached, the connection broke, a conflict
   * with recovery cancelled it, it refused a write) runs once more on the primary: the request
   * never sees a replica's trouble. SQL errors (permission denied, bad input) are the answer.
   */
  private async routed<T>(plan: TransactionPlan, use: (connection: GuardedConnection) => Promise<T>): Promise<T> {
    const replica = plan.mayUseReplica ? this.replicas?.pick() : undefined;
    if (replica === undefined) return this.withConnection(this.pool, use, false, plan.abandoned);
    try {
      return await this.withConnection(replica, use, true, plan.abandoned);
    } catch (err) {
      if (!(err instanceof ReplicaFailed)) throw err;
      TransactionRunner.logger.debug(`replica ${replica.url} failed (${err.message}); running on the primary`);
      return this.withConnection(this.pool, use, false, plan.abandoned);
    }
  }

  private async withConnection<T>(source: ConnectionSource, use: (connection: GuardedConnection) => Promise<T>, onReplica: boolean, abandonedOf?: () => AbortSignal): Promise<T> {
    const abandoned = abandonedOf?.();
    if (abandoned?.aborted) throw new ClientGoneError();
    let client;
    try {
      client = await source.acquire();
    } catch (err) {
      throw onReplica ? new ReplicaFailed((err as Error).message) : err;
    }
    const connection = new GuardedConnection(client, source.statementTimeoutMs + UNANSWERED_GRACE_MS, abandoned);
    try {
      const result = await use(connection);
      source.answered();
      return result;
    } catch (err) {
      throw this.failure(err, connection, source, onReplica);
    } finally {
      if (source.lost(connection.client)) connection.broken ??= new Error('the connection was lost');
      await connection.release();
    }
  }

  /** The error to answer with; marks the connection broken when it cannot be trusted. */
  private failure(err: unknown, connection: GuardedConnection, source: ConnectionSource, onReplica: boolean): unknown {
    if (err instanceof ClientGoneError || connection.stopped === 'abandoned') return new ClientGoneError();
    if (connection.stopped === 'deadline') {
      connection.broken ??= new Error('the database did not answer in time');
      source.failed('the database did not answer in time');
      return new ServiceUnavailableError('the database did not answer in time; try again later', 5);
    }
    if (isConnectionFault(err)) {
      connection.broken ??= err as Error;
      source.failed((err as Error).message);
      if (onReplica) return new ReplicaFailed((err as Error).message);
      return translateDatabaseError(err) ?? new ServiceUnavailableError('the database connection was lost; try again shortly', 2);
    }
    if (onReplica && isReplicaOnlyFailure(err)) return new ReplicaFailed((err as Error).message);
    source.answered();
    return translateDatabaseError(err) ?? err;
  }

  /**
   * Whether the settings alone fail. The error of a one-message request does not say which
   * statement raised it, and a tile's statement can raise the same SQLSTATEs as a refused switch
   * (42501 for a table the role may not read), so on those errors only, the switch is tried alone.
   */
  private async settingsRefused(connection: GuardedConnection, plan: TransactionPlan): Promise<boolean> {
    try {
      await connection.query(openTransactionSql(plan.settings(connection.client), plan));
      return false;
    } catch (err) {
      return roleRefusal(err) !== undefined;
    } finally {
      await this.rollback(connection);
    }
  }

  private async rollback(connection: GuardedConnection): Promise<void> {
    try {
      await connection.rollback();
    } catch (err) {
      // A connection that cannot roll back may still hold the role: it must not be reused.
      TransactionRunner.logger.warn(`rollback failed, discarding the connection: ${(err as Error).message}`);
      connection.broken ??= new Error('rollback failed');
      throw Object.assign(new Error('rollback failed'), { connectionFault: true, cause: err });
    }
  }
}

/** A refused role switch: 22023 (no such role) or 42501 (not a member of it), one answer for both so roles cannot be probed. */
function roleRefusal(err: unknown): RoleNotPermittedError | undefined {
  const state = sqlStateOf(err);
  return state === '22023' || state === '42501' ? new RoleNotPermittedError() : undefined;
}

/**
 * Errors after which the connection cannot be trusted: a failed rollback, a lost connection
 * (class 08, or admin shutdown and crash, 57P), or a driver error without a SQLSTATE (a socket
 * closed, reset or refused). Our own errors and programming errors are not.
 */
function isConnectionFault(err: unknown): boolean {
  if ((err as { connectionFault?: boolean } | null)?.connectionFault) return true;
  if (err instanceof TilegateError || err instanceof TypeError || err instanceof RangeError) return false;
  const state = sqlStateOf(err);
  return state === undefined ? err instanceof Error : state.startsWith('08') || state.startsWith('57P');
}

/**
 * Errors only a hot standby raises for a statement the primary would run: 40001 "canceling
 * statement due to conflict with recovery" (replay needed rows the statement was reading), and
 * 25006 (a function layer that writes, which a standby refuses).
 */
function isReplicaOnlyFailure(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state === '40001' || state === '25006';
}

import { Logger } from '@nestjs/common';
import type { PoolClient, QueryResult } from 'pg';
import { RoleNotPermittedError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { sqlStateOf, translateDatabaseError } from './database-errors';
import { openTransactionSql, Setting, wholeTransactionSql } from './transaction-sql';
import { SqlRunner, sqlRunnerFor } from './sql-runner';

/** What a transaction is opened with. */
export interface TransactionPlan {
  /** Its settings; a function of the connection, because claim keys to blank depend on it. */
  settings(connection: object): Setting[];
  readOnly?: boolean;
  /** The settings switch role: a refusal (22023, 42501) is a 403, told apart from the statement's own 42501. */
  switchesRole: boolean;
}

/**
 * The one place transactions are run: takes a pooled connection, opens the transaction with its
 * settings, runs the work, commits or rolls back, and releases the connection in every case. A
 * connection whose state is in doubt (the rollback failed, the socket broke) is destroyed rather
 * than returned to the pool. Errors leave as the contract's errors (translateDatabaseError).
 * Internal to libs/database: features use RoleTransaction (as the request's role) or
 * CatalogReader (shared metadata, as the login role).
 */
export class TransactionRunner {
  private static readonly logger = new Logger('Transaction');

  constructor(private readonly pool: ConnectionPool) {}

  async run<T>(plan: TransactionPlan, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.withConnection(async (client) => {
      try {
        await client.query(openTransactionSql(plan.settings(client), plan));
      } catch (err) {
        await this.rollback(client);
        throw (plan.switchesRole && roleRefusal(err)) || err;
      }
      let result: T;
      try {
        result = await work(sqlRunnerFor(client));
      } catch (err) {
        await this.rollback(client);
        throw err;
      }
      await client.query('COMMIT');
      return result;
    });
  }

  /**
   * One statement in one round trip: BEGIN, the settings, the statement and COMMIT go to PostgreSQL
   * as one message (see wholeTransactionSql). The hot path of tiles. The statement takes no
   * parameters: every value in it must already be an escaped literal. Returns its rows.
   */
  async runStatement<R extends object>(plan: TransactionPlan, statement: string): Promise<R[]> {
    return this.withConnection(async (client) => {
      let results: Array<QueryResult<R>>;
      try {
        results = (await client.query<R>(wholeTransactionSql(plan.settings(client), statement, plan))) as unknown as Array<QueryResult<R>>;
      } catch (err) {
        // Whichever statement failed, PostgreSQL skipped the rest and the transaction is aborted.
        await this.rollback(client);
        if (plan.switchesRole && roleRefusal(err) && (await this.settingsRefused(client, plan))) throw new RoleNotPermittedError();
        throw err;
      }
      // BEGIN, the settings, the statement, COMMIT: four results, the statement's third.
      return results[2].rows;
    });
  }

  private async withConnection<T>(use: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.acquire();
    let destroy: Error | undefined;
    try {
      return await use(client);
    } catch (err) {
      if (isConnectionFault(err)) destroy = err as Error;
      throw translateDatabaseError(err) ?? err;
    } finally {
      client.release(destroy);
    }
  }

  /**
   * Whether the settings alone fail. The error of a one-message request does not say which
   * statement raised it, and a tile's statement can raise the same SQLSTATEs as a refused switch
   * (42501 for a table the role may not read), so on those errors only, the switch is tried alone.
   */
  private async settingsRefused(client: PoolClient, plan: TransactionPlan): Promise<boolean> {
    try {
      await client.query(openTransactionSql(plan.settings(client), plan));
      return false;
    } catch (err) {
      return roleRefusal(err) !== undefined;
    } finally {
      await this.rollback(client);
    }
  }

  private async rollback(client: PoolClient): Promise<void> {
    try {
      await client.query('ROLLBACK');
    } catch (err) {
      // A connection that cannot roll back may still hold the role: it must not be reused.
      TransactionRunner.logger.warn(`rollback failed, discarding the connection: ${(err as Error).message}`);
      throw Object.assign(new Error('rollback failed'), { connectionFault: true, cause: err });
    }
  }
}

/** A refused role switch: 22023 (no such role) or 42501 (not a member of it), one answer for both so roles cannot be probed. */
function roleRefusal(err: unknown): RoleNotPermittedError | undefined {
  const state = sqlStateOf(err);
  return state === '22023' || state === '42501' ? new RoleNotPermittedError() : undefined;
}

/** Errors after which the connection cannot be trusted: no SQLSTATE (socket, timeout) or a failed rollback. */
function isConnectionFault(err: unknown): boolean {
  if ((err as { connectionFault?: boolean } | null)?.connectionFault) return true;
  const state = sqlStateOf(err);
  return state === undefined ? !(err instanceof Error && 'status' in err) : state.startsWith('08') || state.startsWith('57P');
}

import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient, QueryResult } from 'pg';
import { RoleNotPermittedError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { getRequestRole, RequestRole } from './request-role';
import { currentRequest } from './request-context';
import { roleSessionSql, roleStatementSql } from './role-session.sql';
import { sqlStateOf, translateDatabaseError } from './database-errors';
import { SqlRunner, sqlRunnerFor } from './sql-runner';

/**
 * The request's transaction. `run(work)` takes one pooled connection, opens a transaction, switches
 * to the role the auth guard chose for the current request (one statement, transaction-local
 * settings), runs the feature's SQL, commits or rolls back, and releases the connection in every
 * case. A connection whose state is in doubt (the rollback failed, the socket broke) is destroyed
 * rather than returned to the pool. `runStatement(sql)` does the same for a single statement in one
 * round trip (the tiles' path). The request comes from the request context (see
 * request-context.ts), not from request-scoped injection, which costs a DI build per request.
 */
@Injectable()
export class RoleTransaction {
  private static readonly logger = new Logger('RoleTransaction');

  constructor(private readonly pool: ConnectionPool) {}

  async run<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.withConnection((client, role) => this.inTransaction(client, role, work));
  }

  /**
   * One statement as the request's role, in one round trip: BEGIN, the role switch, the statement
   * and COMMIT go to PostgreSQL as one message (see roleStatementSql). The hot path of tiles, where
   * the two extra round trips of `run` were a tenth of the time. The statement takes no parameters:
   * every value in it must already be an escaped literal. Returns the statement's rows.
   */
  async runStatement<R extends object = Record<string, unknown>>(statement: string): Promise<R[]> {
    return this.withConnection(async (client, role) => {
      if (role.kind === 'login') return (await client.query<R>(statement)).rows;
      let results: Array<QueryResult<R>>;
      try {
        results = (await client.query<R>(roleStatementSql(role, statement))) as unknown as Array<QueryResult<R>>;
      } catch (err) {
        // Whichever statement failed, PostgreSQL skipped the rest and the transaction is aborted.
        await this.rollback(client);
        if (roleRefusal(err) && (await this.switchRefused(client, role))) throw new RoleNotPermittedError();
        throw err;
      }
      // BEGIN, the switch, the statement, COMMIT: four results, the statement's third.
      return results[2].rows;
    });
  }

  /** Runs `use` on a pooled connection as the current request's role; translates errors. */
  private async withConnection<T>(use: (client: PoolClient, role: RequestRole) => Promise<T>): Promise<T> {
    const request = currentRequest();
    const role = request === undefined ? undefined : getRequestRole(request);
    // Without a decision from the guard there is no safe role to run as: fail closed.
    if (role === undefined) throw new Error('RoleTransaction used on a route the auth guard did not run for');
    const client = await this.pool.acquire();
    let destroy: Error | undefined;
    try {
      return await use(client, role);
    } catch (err) {
      if (isConnectionFault(err)) destroy = err as Error;
      throw translateDatabaseError(err) ?? err;
    } finally {
      client.release(destroy);
    }
  }

  private async inTransaction<T>(client: PoolClient, role: RequestRole, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    // The login role needs no switch, and no transaction either: one statement is its own.
    if (role.kind === 'login') return work(sqlRunnerFor(client));
    try {
      await client.query(roleSessionSql(role));
    } catch (err) {
      await this.rollback(client);
      throw roleRefusal(err) ?? err;
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
  }

  /**
   * Whether the role switch alone fails. The error of a one-message request does not say which
   * statement raised it, and a tile's statement can raise the same SQLSTATEs as a refused switch
   * (42501 for a table the role may not read), so on those errors only, the switch is tried alone.
   */
  private async switchRefused(client: PoolClient, role: Extract<RequestRole, { kind: 'switch' }>): Promise<boolean> {
    try {
      await client.query(roleSessionSql(role));
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
      RoleTransaction.logger.warn(`rollback failed, discarding the connection: ${(err as Error).message}`);
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

import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { RoleNotPermittedError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { getRequestRole, RequestRole } from './request-role';
import { currentRequest } from './request-context';
import { roleSessionSql } from './role-session.sql';
import { sqlStateOf, translateDatabaseError } from './database-errors';
import { SqlRunner, sqlRunnerFor } from './sql-runner';

/**
 * The request's transaction. `run(work)` takes one pooled connection, opens a transaction, switches
 * to the role the auth guard chose for the current request (one statement, transaction-local
 * settings), runs the feature's SQL, commits or rolls back, and releases the connection in every
 * case. A connection whose state is in doubt (the rollback failed, the socket broke) is destroyed
 * rather than returned to the pool. The request comes from the request context (see
 * request-context.ts), not from request-scoped injection, which costs a DI build per request.
 */
@Injectable()
export class RoleTransaction {
  private static readonly logger = new Logger('RoleTransaction');

  constructor(private readonly pool: ConnectionPool) {}

  async run<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    const request = currentRequest();
    const role = request === undefined ? undefined : getRequestRole(request);
    // Without a decision from the guard there is no safe role to run as: fail closed.
    if (role === undefined) throw new Error('RoleTransaction used on a route the auth guard did not run for');
    const client = await this.pool.acquire();
    let destroy: Error | undefined;
    try {
      return await this.inTransaction(client, role, work);
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
      // 22023: no such role; 42501: not a member of it. One answer for both, so roles cannot be probed.
      const state = sqlStateOf(err);
      if (state === '22023' || state === '42501') throw new RoleNotPermittedError();
      throw err;
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

/** Errors after which the connection cannot be trusted: no SQLSTATE (socket, timeout) or a failed rollback. */
function isConnectionFault(err: unknown): boolean {
  if ((err as { connectionFault?: boolean } | null)?.connectionFault) return true;
  const state = sqlStateOf(err);
  return state === undefined ? !(err instanceof Error && 'status' in err) : state.startsWith('08') || state.startsWith('57P');
}

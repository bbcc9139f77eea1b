import { Injectable, Optional } from '@nestjs/common';
import { RoleNotPermittedError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { getRequestRole, RequestRole } from './request-role';
import { currentRequest } from './request-context';
import { requestBaseSettings, roleSettings, Setting } from './transaction-sql';
import { SqlRunner } from './sql-runner';
import { TransactionPlan, TransactionRunner } from './transaction-runner';
import { ClaimKeys } from './claim-keys';
import { isAssumableRole } from './assumable-role';
import { ReadReplicas } from './read-replicas';

/** How a transaction may be routed. */
export interface RoleTransactionOptions {
  /**
   * The SQL may write, or must see the primary's latest data (a sign-in function that records the
   * sign-in): it runs on the primary. Without it the transaction may run on a read replica
   * (DbReadConnection) that lags by at most DbReadMaxLagSeconds.
   */
  mayWrite?: boolean;
}

/**
 * The request's transaction. `run(work)` takes one pooled connection, opens a transaction with the
 * request's settings (the pinned search_path, DbTimeout as statement_timeout, and, with role
 * switching on, the role the auth guard chose and its claims: one statement, transaction-local),
 * runs the feature's SQL, commits or rolls back, and releases the connection in every case.
 * `runStatement(sql)` does the same for a single statement in one round trip (the tiles' path).
 * The request comes from the request context (see request-context.ts), not from request-scoped
 * injection, which costs a DI build per request. Unless `mayWrite`, it runs on a usable read
 * replica when there is one: the same statements, so the role switch stays transaction-local there too.
 */
@Injectable()
export class RoleTransaction {
  private readonly runner: TransactionRunner;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly claimKeys: ClaimKeys,
    @Optional() replicas?: ReadReplicas,
  ) {
    this.runner = new TransactionRunner(pool, replicas);
  }

  async run<T>(work: (sql: SqlRunner) => Promise<T>, options: RoleTransactionOptions = {}): Promise<T> {
    return this.runner.run(this.planForCurrentRequest(options), work);
  }

  /** One statement as the request's role, in one round trip; every value in it must be an escaped literal. */
  async runStatement<R extends object = Record<string, unknown>>(statement: string, options: RoleTransactionOptions = {}): Promise<R[]> {
    return this.runner.runStatement<R>(this.planForCurrentRequest(options), statement);
  }

  /** PostGIS's schema, for SQL that calls its functions by schema. */
  get postgisSchema(): string {
    return this.pool.info.postgisSchema;
  }

  private planForCurrentRequest(options: RoleTransactionOptions): TransactionPlan {
    const request = currentRequest();
    const role = request === undefined ? undefined : getRequestRole(request);
    // Without a decision from the guard there is no safe role to run as: fail closed.
    if (role === undefined) throw new Error('RoleTransaction used on a route the auth guard did not run for');
    const info = this.pool.info;
    const base = requestBaseSettings(info.requestSearchPath, this.pool.statementTimeoutMs);
    const mayUseReplica = !options.mayWrite;
    if (role.kind === 'login') return { settings: () => base, switchesRole: false, mayUseReplica };
    // Refused before any SQL: names that would not switch to the role they say (see assumable-role.ts).
    if (!isAssumableRole(role.role, info.loginRole)) throw new RoleNotPermittedError();
    return { settings: (connection) => [...base, ...this.switchSettings(connection, role)], switchesRole: true, mayUseReplica };
  }

  private switchSettings(connection: object, role: Extract<RequestRole, { kind: 'switch' }>): Setting[] {
    const keys = (role.claims?.scalars ?? []).map(([key]) => key);
    return roleSettings(role.role, role.claims, this.claimKeys, this.claimKeys.missingOn(connection, keys));
  }
}

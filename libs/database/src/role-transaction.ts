import { Injectable, Optional } from '@nestjs/common';
import { RoleNotPermittedError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { getRequestRole, RequestRole } from './request-role';
import { abandonSignalFor } from './request-context';
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
 * A request's transaction, made for it by RoleTransactions once the auth guard has decided its
 * role. `run(work)` takes one pooled connection, opens a transaction with the request's settings
 * (the pinned search_path, DbTimeout as statement_timeout, and, with role switching on, the role
 * the auth guard chose and its claims: one statement, transaction-local), runs the feature's SQL,
 * commits or rolls back, and releases the connection in every case. `runStatement(sql)` does the
 * same for a single statement in one round trip (the tiles' path). Unless `mayWrite`, it runs on
 * a usable read replica when there is one: the same statements, so the role switch stays
 * transaction-local there too. If the request's client goes away, its running statement is
 * cancelled.
 */
export class RoleTransaction {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly planFor: (options: RoleTransactionOptions) => TransactionPlan,
    /** What the guard decided: the role and claims every statement of this transaction runs with. */
    readonly role: RequestRole,
    /** PostGIS's schema, for SQL that calls its functions by schema. */
    readonly postgisSchema: string,
  ) {}

  async run<T>(work: (sql: SqlRunner) => Promise<T>, options: RoleTransactionOptions = {}): Promise<T> {
    return this.runner.run(this.planFor(options), work);
  }

  /** One statement as the request's role, in one round trip; every value in it must be an escaped literal. */
  async runStatement<R extends object = Record<string, unknown>>(statement: string, options: RoleTransactionOptions = {}): Promise<R[]> {
    return this.runner.runStatement<R>(this.planFor(options), statement);
  }
}

/**
 * Makes each request's RoleTransaction (`forRequest`), from the role the auth guard put on the
 * request: one per request, made by the code that serves it rather than by request-scoped
 * injection, which costs Nest a DI build per request (bench/request-scope.js: about 170 µs).
 */
@Injectable()
export class RoleTransactions {
  private readonly runner: TransactionRunner;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly claimKeys: ClaimKeys,
    @Optional() replicas?: ReadReplicas,
  ) {
    this.runner = new TransactionRunner(pool, replicas);
  }

  /** The request's transaction; throws unless the auth guard has decided the request's role. */
  forRequest(request: object): RoleTransaction {
    const role = getRequestRole(request);
    // Without a decision from the guard there is no safe role to run as: fail closed.
    if (role === undefined) throw new Error('RoleTransaction used on a route the auth guard did not run for');
    const abandoned = abandonSignalFor(request);
    return new RoleTransaction(this.runner, (options) => this.plan(role, abandoned, options), role, this.pool.info.postgisSchema);
  }

  private plan(role: RequestRole, abandoned: (() => AbortSignal) | undefined, options: RoleTransactionOptions): TransactionPlan {
    const info = this.pool.info;
    const base = requestBaseSettings(info.requestSearchPath, this.pool.statementTimeoutMs);
    const mayUseReplica = !options.mayWrite;
    if (role.kind === 'login') return { settings: () => base, switchesRole: false, mayUseReplica, abandoned };
    // Refused before any SQL: names that would not switch to the role they say (see assumable-role.ts).
    if (!isAssumableRole(role.role, info.loginRole)) throw new RoleNotPermittedError();
    return { settings: (connection) => [...base, ...this.switchSettings(connection, role)], switchesRole: true, mayUseReplica, abandoned };
  }

  private switchSettings(connection: object, role: Extract<RequestRole, { kind: 'switch' }>): Setting[] {
    const keys = (role.claims?.scalars ?? []).map(([key]) => key);
    return roleSettings(role.role, role.claims, this.claimKeys, this.claimKeys.missingOn(connection, keys));
  }
}

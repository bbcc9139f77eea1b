import { Injectable, Optional } from '@nestjs/common';
import { ConnectionPool } from './connection-pool';
import { CATALOG_SEARCH_PATH } from './database-info';
import { SqlRunner } from './sql-runner';
import { TransactionPlan, TransactionRunner } from './transaction-runner';
import { ReadReplicas } from './read-replicas';

/**
 * Reads the metadata all roles share (which tables and functions are layers, their columns and
 * arguments) as the login role, in a read-only transaction whose search_path is the system
 * catalog alone. No requesting role can influence it: loading it inside a request, as that
 * request's role, let a role's own look-alike functions (found through `"$user"` in the default
 * search_path) run during the load and poison the metadata every other role then used.
 * Only static catalog SQL goes through here; nothing that depends on a request or its role.
 * Read-only, so it runs on a usable read replica when there is one.
 */
@Injectable()
export class CatalogReader {
  private readonly runner: TransactionRunner;

  constructor(
    private readonly pool: ConnectionPool,
    @Optional() replicas?: ReadReplicas,
  ) {
    this.runner = new TransactionRunner(pool, replicas);
  }

  read<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.runner.run(this.plan(), work);
  }

  /** PostGIS's schema: catalog SQL names its functions by it, since the search_path here holds only pg_catalog. */
  get postgisSchema(): string {
    return this.pool.info.postgisSchema;
  }

  private plan(): TransactionPlan {
    const settings = [
      ['search_path', CATALOG_SEARCH_PATH],
      ['statement_timeout', String(this.pool.statementTimeoutMs)],
    ] as const;
    return { settings: () => [...settings], readOnly: true, switchesRole: false, mayUseReplica: true };
  }
}

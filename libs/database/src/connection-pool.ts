import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ServiceUnavailableError } from '@app/errors';
import { parseConnectionString } from './connection-options';
import { DatabaseInfo, readDatabaseInfo } from './database-info';
import { DatabaseOutage } from './database-outage';
import { PooledClients, poolOptions } from './pooled-clients';
import { CheckLane } from './check-lane';

/**
 * Owns the connections. TypeORM's DataSource creates and closes the node-postgres pool; tilegate
 * takes raw clients from it so each request's transaction is exactly the statements it sends.
 *
 * Deliberately not exported from `@app/database`: features reach the database only through the
 * request's RoleTransaction (test/unit/architecture.spec.ts fails if anything else imports pg,
 * typeorm or this file).
 */
@Injectable()
export class ConnectionPool extends PooledClients implements OnApplicationShutdown {
  protected readonly logger = new Logger('Database');
  private dataSource: DataSource | undefined;
  private databaseInfo: DatabaseInfo | undefined;
  private lane: CheckLane | undefined;
  private readonly outage = new DatabaseOutage(this.logger);

  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {
    super();
  }

  async open(): Promise<void> {
    const connection = parseConnectionString(this.config.dbConnection);
    this.dataSource = new DataSource({
      type: 'postgres',
      ...connection,
      applicationName: 'tilegate',
      poolSize: this.config.dbPoolMaxConns,
      extra: poolOptions(this.config),
      // An idle connection that breaks (the server restarted, a backend was terminated) leaves the pool.
      poolErrorHandler: (err: Error) => this.failed(`an idle connection broke: ${err.message}`),
    });
    try {
      await this.dataSource.initialize();
    } catch (err) {
      throw new Error(`cannot connect to the database named by DbConnection: ${(err as Error).message}`);
    }
    const client = await this.acquire();
    try {
      this.databaseInfo = await readDatabaseInfo(client);
    } finally {
      client.release();
    }
    this.lane = new CheckLane(connection, this.config, this);
    this.logger.log(`connected; pool of up to ${this.config.dbPoolMaxConns} connections`);
  }

  /** The primary's connections for the tile cache's per-request checks, apart from the tiles' (see CheckLane). */
  get checks(): CheckLane {
    if (!this.lane) throw new ServiceUnavailableError('the database connection is not open');
    return this.lane;
  }

  /** What every transaction needs to know about the database (read at open). */
  get info(): DatabaseInfo {
    if (!this.databaseInfo) throw new ServiceUnavailableError('the database connection is not open');
    return this.databaseInfo;
  }

  /**
   * DbTimeout, set as each transaction's statement_timeout (a slow tile becomes SQLSTATE 57014 and
   * a 503). Set per transaction rather than per connection so it holds behind a transaction-mode
   * PgBouncer too, which refuses it as a startup parameter.
   */
  get statementTimeoutMs(): number {
    return this.config.dbTimeoutSeconds * 1000;
  }

  /** The database answered: an outage, if one was under way, is over. */
  answered(): void {
    this.outage.recovered();
  }

  /** The database could not be reached or a connection was lost. */
  failed(reason: string): void {
    this.outage.failed(reason);
  }

  protected pool(): Pool {
    if (!this.dataSource?.isInitialized) throw new ServiceUnavailableError('the database connection is not open');
    // TypeORM's postgres driver keeps the node-postgres pool as `master`.
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lane?.close();
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }
}

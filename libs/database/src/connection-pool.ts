import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ServiceUnavailableError } from '@app/errors';
import { parseConnectionString } from './connection-options';
import { DatabaseInfo, readDatabaseInfo } from './database-info';

/**
 * Owns the connections. TypeORM's DataSource creates and closes the node-postgres pool; tilegate
 * takes raw clients from it so each request's transaction is exactly the statements it sends.
 *
 * Deliberately not exported from `@app/database`: features reach the database only through the
 * request's RoleTransaction (test/unit/architecture.spec.ts fails if anything else imports pg,
 * typeorm or this file).
 */
@Injectable()
export class ConnectionPool implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private dataSource: DataSource | undefined;
  private databaseInfo: DatabaseInfo | undefined;

  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {}

  async open(): Promise<void> {
    const connection = parseConnectionString(this.config.dbConnection);
    const timeoutMs = this.config.dbTimeoutSeconds * 1000;
    this.dataSource = new DataSource({
      type: 'postgres',
      ...connection,
      applicationName: 'tilegate',
      poolSize: this.config.dbPoolMaxConns,
      extra: {
        max: this.config.dbPoolMaxConns,
        // A request waits this long for a free connection, then gets a 503.
        connectionTimeoutMillis: timeoutMs,
        idleTimeoutMillis: 30_000,
        maxLifetimeSeconds: Math.max(1, Math.round(this.config.dbPoolMaxConnLifeTimeSeconds)),
        // Client-side cap in case the server stops answering altogether.
        query_timeout: timeoutMs + 5_000,
      },
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
    this.logger.log(`connected; pool of up to ${this.config.dbPoolMaxConns} connections`);
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

  /** A client for one request's transaction. Pool exhaustion within DbTimeout is a 503. */
  async acquire(): Promise<PoolClient> {
    try {
      return await this.pool().connect();
    } catch (err) {
      this.logger.warn(`no database connection: ${(err as Error).message}`);
      throw new ServiceUnavailableError('the database is busy or unreachable; try again shortly', 2);
    }
  }

  private pool(): Pool {
    if (!this.dataSource?.isInitialized) throw new ServiceUnavailableError('the database connection is not open');
    // TypeORM's postgres driver keeps the node-postgres pool as `master`.
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ServiceUnavailableError } from '@app/errors';
import { parseConnectionString } from './connection-options';
import { DatabaseInfo, readDatabaseInfo } from './database-info';
import { DatabaseOutage } from './database-outage';

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
  private readonly outage = new DatabaseOutage(this.logger);
  /** Clients that have a listener for their own 'error' event (see watch). */
  private readonly watched = new WeakSet<PoolClient>();
  /** Clients whose connection broke while they were checked out. */
  private readonly broken = new WeakSet<PoolClient>();

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
      },
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

  /**
   * A client for one request's transaction. Pool exhaustion within DbTimeout, and a database that
   * cannot be reached (refused, unknown host, restarting, max_connections), are a 503.
   */
  async acquire(): Promise<PoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool().connect();
    } catch (err) {
      const message = (err as Error).message;
      // Waiting for a free connection is load, not an outage.
      if (/timeout exceeded when trying to connect/i.test(message) && this.pool().totalCount > 0) this.logger.warn('no free database connection within DbTimeout');
      else this.failed(message);
      throw new ServiceUnavailableError('the database is busy or unreachable; try again shortly', 2);
    }
    this.watch(client);
    return client;
  }

  /**
   * node-postgres emits 'error' on a checked-out client whose connection ends (a terminated
   * backend, a restart) and, with no listener, that error ends the process. Every client gets a
   * listener that marks it broken; its transaction then fails with a 503 and it is destroyed.
   */
  private watch(client: PoolClient): void {
    if (this.watched.has(client)) return;
    this.watched.add(client);
    client.on('error', (err) => {
      this.broken.add(client);
      this.failed(`a connection broke: ${err.message}`);
    });
  }

  /** Whether the client's connection broke while it was out: then it must be destroyed. */
  lost(client: PoolClient): boolean {
    return this.broken.has(client);
  }

  /** The database answered: an outage, if one was under way, is over. */
  answered(): void {
    this.outage.recovered();
  }

  /** The database could not be reached or a connection was lost. */
  failed(reason: string): void {
    this.outage.failed(reason);
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

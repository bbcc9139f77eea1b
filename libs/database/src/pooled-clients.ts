import type { Logger } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import type { TilegateConfig } from '@app/config';
import { ServiceUnavailableError } from '@app/errors';
import { ConnectionOptions, driverOptions } from './connection-options';

/** What a transaction needs from the pool it runs on: the primary's or a replica's. */
export interface ConnectionSource {
  acquire(): Promise<PoolClient>;
  /** Whether the client's connection broke while it was out: then it must be destroyed. */
  lost(client: PoolClient): boolean;
  /** The server answered. */
  answered(): void;
  /** The server could not be reached or a connection was lost. */
  failed(reason: string): void;
  readonly statementTimeoutMs: number;
}

/** The node-postgres pool options of every pool, the primary's and each replica's alike. */
export function poolOptions(config: TilegateConfig) {
  return {
    max: config.dbPoolMaxConns,
    // A request waits this long for a free connection, then gets a 503.
    connectionTimeoutMillis: config.dbTimeoutSeconds * 1000,
    idleTimeoutMillis: 30_000,
    maxLifetimeSeconds: Math.max(1, Math.round(config.dbPoolMaxConnLifeTimeSeconds)),
  };
}

/**
 * A node-postgres pool of tilegate's own (a replica's, the check lane's; the primary's tile pool is
 * TypeORM's): the pool options above, `max` connections. allowExitOnIdle: idle connections never
 * hold the process open. An idle connection that breaks leaves the pool and is told to
 * `onIdleError`; without a listener the error would end the process.
 */
export function openPool(options: ConnectionOptions, config: TilegateConfig, max: number, onIdleError: (err: Error) => void): Pool {
  const pool = new Pool({ ...driverOptions(options), application_name: 'tilegate', ...poolOptions(config), max, allowExitOnIdle: true });
  pool.on('error', onIdleError);
  return pool;
}

/** Taking clients from a node-postgres pool, and noticing those whose connection breaks while out. */
export abstract class PooledClients implements ConnectionSource {
  protected abstract readonly logger: Logger;
  /** Clients that have a listener for their own 'error' event (see watch). */
  private readonly watched = new WeakSet<PoolClient>();
  /** Clients whose connection broke while they were checked out. */
  private readonly broken = new WeakSet<PoolClient>();

  protected abstract pool(): Pool;
  abstract answered(): void;
  abstract failed(reason: string): void;
  abstract readonly statementTimeoutMs: number;

  /**
   * A client for one transaction. Pool exhaustion within DbTimeout, and a server that cannot be
   * reached (refused, unknown host, restarting, max_connections), are a 503.
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

  lost(client: PoolClient): boolean {
    return this.broken.has(client);
  }
}

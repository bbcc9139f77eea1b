import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TilegateConfig } from '@app/config';
import type { ConnectionOptions } from './connection-options';
import { openPool, PooledClients } from './pooled-clients';

/**
 * A connection to the primary of its own for the short checks every cached tile waits for (the
 * tile cache's privilege stamps). On the tile pool, a request that the cache can answer in a
 * millisecond would queue behind tile renders for a connection: in a pan/zoom trace its p90 was
 * the render's. Opened on first use, so a server without a tile cache opens none.
 *
 * One, and PrivilegeStampReader runs one read at a time: a request that arrives during a read
 * waits for it and then for the next (which answers every request that waited), so under load a
 * read answers more requests. Each read is a round trip that wakes PostgreSQL and tilegate, and on
 * two shared cores those wake-ups are what hits cost. Measured against two reads at once
 * (2026-12-03, warm hits with a token, four alternating rounds): 1.28 times the tiles/s at
 * concurrency 8 and 1.17 at 32, with a lower p99 at both and 45 % less PostgreSQL CPU per tile.
 */
export const CHECK_LANE_CONNECTIONS = 1;

export class CheckLane extends PooledClients {
  protected readonly logger = new Logger('Database');
  readonly statementTimeoutMs: number;
  private readonly clients: Pool;

  /** `health`: the primary pool's outage tracking, which these connections report to as well. */
  constructor(
    options: ConnectionOptions,
    config: TilegateConfig,
    private readonly health: { answered(): void; failed(reason: string): void },
  ) {
    super();
    this.statementTimeoutMs = config.dbTimeoutSeconds * 1000;
    this.clients = openPool(options, config, CHECK_LANE_CONNECTIONS, (err) => this.failed(`an idle connection broke: ${err.message}`));
  }

  protected pool(): Pool {
    return this.clients;
  }

  answered(): void {
    this.health.answered();
  }

  failed(reason: string): void {
    this.health.failed(reason);
  }

  close(): Promise<void> {
    return this.clients.end();
  }
}

import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TilegateConfig } from '@app/config';
import type { ConnectionOptions } from './connection-options';
import { openPool, PooledClients } from './pooled-clients';

/**
 * Connections to the primary of their own for the short checks every cached tile waits for (the
 * tile cache's privilege stamps). On the tile pool, a request that the cache can answer in a
 * millisecond would queue behind tile renders for a connection: in a pan/zoom trace its p90 was
 * the render's. Opened on first use, so a server without a tile cache opens none.
 *
 * Two, and PrivilegeStampReader runs that many reads at once: then a request waits for about one
 * read, not one and a half; more cost CPU (measured with 1, 2, 3 and 6).
 */
export const CHECK_LANE_CONNECTIONS = 2;

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

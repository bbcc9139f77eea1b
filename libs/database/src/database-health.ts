import { Injectable } from '@nestjs/common';
import { ServiceUnavailableError } from '@app/errors';
import { ConnectionPool } from './connection-pool';

/** Readiness: can a connection be had and answer a trivial statement. Runs no role switch. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly pool: ConnectionPool) {}

  async ping(): Promise<void> {
    const client = await this.pool.acquire();
    let broken: Error | undefined;
    try {
      await client.query('SELECT 1');
      this.pool.answered();
    } catch (err) {
      broken = err as Error;
      this.pool.failed(broken.message);
      throw new ServiceUnavailableError('the database is unreachable; try again shortly', 2);
    } finally {
      client.release(broken ?? (this.pool.lost(client) ? new Error('the connection was lost') : undefined));
    }
  }
}

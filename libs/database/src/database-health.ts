import { Injectable } from '@nestjs/common';
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
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { ConnectionPool } from './connection-pool';

/**
 * Sends a notification from a pooled session on the primary, as the login role. The tile cache's
 * listener sends itself one this way: it comes back only if notifications that other sessions
 * send (the invalidation triggers') reach the listening connection.
 */
@Injectable()
export class PrimaryNotifier {
  constructor(private readonly pool: ConnectionPool) {}

  async notify(channel: string, payload: string): Promise<void> {
    const client = await this.pool.acquire();
    let failure: Error | undefined;
    try {
      await client.query('SELECT pg_catalog.pg_notify($1, $2)', [channel, payload]);
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      client.release(failure ?? (this.pool.lost(client) ? new Error('the connection was lost') : undefined));
    }
  }
}

import { Injectable } from '@nestjs/common';
import { ConnectionPool } from './connection-pool';
import { PRIVILEGE_STAMPS_SQL } from './privilege-stamps.sql';
import { CoalescedCheck } from './coalesced-check';

/** What PostgreSQL says, now, about the privileges over some layers (see privilege-stamps.sql.ts). */
export interface PrivilegeStamps {
  /** By relation or function oid; an oid missing here no longer exists. */
  readonly layers: ReadonlyMap<number, { stamp: string; rowSecurity: boolean }>;
  /** Role membership and role attributes, cluster-wide. */
  readonly roles: string;
  /** The primary's WAL position when the stamps were read. */
  readonly walLsn: string;
}

interface Asked {
  relations: number[];
  functions: number[];
}

/**
 * Reads privilege stamps for the tile cache, which must never take a privilege from what it
 * remembers: every cached answer is keyed by the stamps read after its request arrived. Requests
 * that arrive while a read is under way share the next read (one statement for all of them), so
 * a GRANT or REVOKE committed before a request arrived is always seen by it, at a fraction of a
 * query per request under load. Runs as the login role on the primary, a named prepared statement.
 */
@Injectable()
export class PrivilegeStampReader {
  private readonly check = new CoalescedCheck<Asked, PrivilegeStamps>((asked) => this.read(asked));

  constructor(private readonly pool: ConnectionPool) {}

  stamps(relations: number[], functions: number[]): Promise<PrivilegeStamps> {
    return this.check.ask({ relations, functions });
  }

  private async read(asked: Asked[]): Promise<PrivilegeStamps> {
    const relations = [...new Set(asked.flatMap((a) => a.relations))];
    const functions = [...new Set(asked.flatMap((a) => a.functions))];
    const client = await this.pool.acquire();
    let failure: Error | undefined;
    try {
      const result = await client.query<{ oid: string; stamp: string; row_security: boolean }>({
        name: 'tilegate_privilege_stamps',
        text: PRIVILEGE_STAMPS_SQL,
        values: [relations, functions],
      });
      this.pool.answered();
      const layers = new Map<number, { stamp: string; rowSecurity: boolean }>();
      let roles = '';
      let walLsn = '';
      for (const row of result.rows) {
        const oid = Number(row.oid);
        if (oid === 0) roles = row.stamp;
        else if (oid === -1) walLsn = row.stamp;
        else layers.set(oid, { stamp: row.stamp, rowSecurity: row.row_security });
      }
      return { layers, roles, walLsn };
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      client.release(failure ?? (this.pool.lost(client) ? new Error('the connection was lost') : undefined));
    }
  }
}

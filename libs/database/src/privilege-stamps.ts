import { Injectable } from '@nestjs/common';
import type { QueryResult, QueryResultRow } from 'pg';
import { ServiceUnavailableError } from '@app/errors';
import { ConnectionPool } from './connection-pool';
import { privilegeStampsStatement, SNAPSHOT_CHECK, SNAPSHOT_ROW_OID, StampStatement } from './privilege-stamps.sql';
import { CoalescedCheck } from './coalesced-check';
import { CHECK_LANE_CONNECTIONS } from './check-lane';
import { GuardedConnection } from './guarded-connection';

/** What PostgreSQL says, now, about the privileges over some layers (see privilege-stamps.sql.ts). */
export interface PrivilegeStamps {
  /** By relation or function oid; an oid missing here no longer exists. */
  readonly layers: ReadonlyMap<number, { stamp: string; rowSecurity: boolean }>;
  /** Role membership and role attributes, cluster-wide. */
  readonly roles: string;
  /** The primary's WAL insert position when the stamps were read. */
  readonly walLsn: string;
}

interface Asked {
  tables: number[];
  views: number[];
  functions: number[];
}

interface StampRow {
  oid: string;
  stamp: string;
  row_security: boolean;
}

/** Beyond this many oids in one read the statement is not kept prepared (each count is a statement of its own). */
const MAX_PREPARED_OIDS = 32;
/** Sets of oids whose last full read is remembered; beyond this many, all are forgotten at once. */
const MAX_REMEMBERED_READS = 64;

/**
 * A full read, the snapshot it was made in, and the connection it was made on (the snapshot also
 * names its server session, which the statement compares too).
 */
interface RememberedRead {
  snapshot: string;
  stamps: PrivilegeStamps;
  client: object;
  /** The last read of these oids found nothing changed since: the next asks for the snapshot alone first. */
  quiet: boolean;
}

/**
 * Reads privilege stamps for the tile cache, which must never take a privilege from what it
 * remembers: every cached answer is keyed by the stamps read after its request arrived. Requests
 * that arrive while reads are under way share the next read (one statement for all of them), so
 * a GRANT or REVOKE committed before a request arrived is always seen by it, at a fraction of a
 * query per request under load. Runs as the login role on the primary, prepared per shape, on
 * connections of its own (CheckLane): a hit never waits behind tile renders for a connection.
 * A read whose snapshot is that of the last full read of the same oids, in the same server
 * session, gets the snapshot back alone, and that read's stamps are the answer: nothing has
 * committed since, so PostgreSQL would have said the same (see privilegeStampsStatement). Once a
 * read has found that, the next asks for the snapshot alone (SNAPSHOT_CHECK, a much smaller
 * statement), and only when it has moved for the stamp statement.
 */
@Injectable()
export class PrivilegeStampReader {
  // As many reads at once as the check lane has connections (see there why one).
  private readonly check = new CoalescedCheck<Asked, PrivilegeStamps>((asked) => this.read(asked), CHECK_LANE_CONNECTIONS);
  /** Cleared when prepared statements do not follow the session (a PgBouncer without them, in transaction mode). */
  private prepare = true;
  /** The last full read of each set of oids asked together. */
  private readonly remembered = new Map<string, RememberedRead>();

  constructor(private readonly pool: ConnectionPool) {}

  /** Tables are relations without rewrite rules; views (and materialized views) have what they read stamped too. */
  stamps(asked: Asked): Promise<PrivilegeStamps> {
    return this.check.ask(asked);
  }

  private async read(asked: Asked[]): Promise<PrivilegeStamps> {
    const union = (pick: (a: Asked) => number[]) => [...new Set(asked.flatMap(pick))].sort((a, b) => a - b);
    const oids = { tables: union((a) => a.tables), views: union((a) => a.views), functions: union((a) => a.functions) };
    const shape = `${oids.tables.join(',')}/${oids.views.join(',')}/${oids.functions.join(',')}`;
    const lane = this.pool.checks;
    const client = await lane.acquire();
    const last = this.remembered.get(shape);
    const remembered = last?.client === client ? last : undefined;
    // DbTimeout, as for any statement: every cacheable request waits for this read, so one that
    // hangs (a frozen host, a catalog lock) must end in a 503, and the next read on a new connection.
    const connection = new GuardedConnection(client, lane.statementTimeoutMs, undefined);
    try {
      if (remembered?.quiet) {
        if (await this.snapshotUnchanged(connection, remembered)) {
          lane.answered();
          return remembered.stamps;
        }
        // Something committed: the stamp statement, which answers alone from here on until it finds
        // nothing changed again (a busy database then pays no snapshot check before each read).
        remembered.quiet = false;
      }
      const result = await this.query<StampRow>(connection, privilegeStampsStatement(oids, remembered?.snapshot ?? null));
      lane.answered();
      return this.answer(shape, remembered, result.rows, client);
    } catch (err) {
      connection.broken ??= err as Error;
      if (connection.stopped !== 'deadline') throw err;
      lane.failed('the database did not answer in time');
      throw new ServiceUnavailableError('the database did not answer in time; try again later', 5);
    } finally {
      if (lane.lost(client)) connection.broken ??= new Error('the connection was lost');
      await connection.release();
    }
  }

  /** The stamps a read's rows say: its own, or, when it found nothing changed, the remembered read's. */
  private answer(shape: string, remembered: RememberedRead | undefined, rows: StampRow[], client: object): PrivilegeStamps {
    const layers = new Map<number, { stamp: string; rowSecurity: boolean }>();
    let roles: string | undefined;
    let walLsn = '';
    let snapshot: string | undefined;
    for (const row of rows) {
      const oid = Number(row.oid);
      if (oid === 0) roles = row.stamp;
      else if (oid === -1) walLsn = row.stamp;
      else if (oid === SNAPSHOT_ROW_OID) snapshot = row.stamp;
      else layers.set(oid, { stamp: row.stamp, rowSecurity: row.row_security });
    }
    if (snapshot === undefined) throw new Error('the privilege stamps came back without their snapshot');
    if (roles === undefined) {
      // Only the snapshot: it is the remembered read's (the statement compared them). Anything else fails closed.
      if (remembered?.snapshot !== snapshot) throw new Error('the privilege stamps came back without their rows');
      remembered.quiet = true;
      return remembered.stamps;
    }
    const stamps = { layers, roles, walLsn };
    if (this.remembered.size >= MAX_REMEMBERED_READS && !this.remembered.has(shape)) this.remembered.clear();
    this.remembered.set(shape, { snapshot, stamps, client, quiet: false });
    return stamps;
  }

  /**
   * Whether this session's snapshot is still the remembered read's (and the server no standby):
   * then nothing has committed since, and its stamps are PostgreSQL's answer now, as when the
   * stamp statement finds the same (see privilegeStampsStatement).
   */
  private async snapshotUnchanged(connection: GuardedConnection, remembered: RememberedRead): Promise<boolean> {
    const { rows } = await this.query<{ snapshot: string; recovering: boolean }>(connection, SNAPSHOT_CHECK);
    return rows.length === 1 && rows[0].recovering === false && rows[0].snapshot === remembered.snapshot;
  }

  private async query<Row extends QueryResultRow>(connection: GuardedConnection, statement: StampStatement): Promise<QueryResult<Row>> {
    const { name, text, values } = statement;
    if (!this.prepare || values.length > MAX_PREPARED_OIDS) return connection.query(text, values);
    try {
      return await connection.query({ name, text, values });
    } catch (err) {
      // Behind a pooler in transaction mode prepared statements do not follow the session:
      // 26000, ours is gone (another server connection); 42P05, this server connection already
      // has one by that name (another client's, or an earlier check connection's).
      const code = (err as { code?: string }).code;
      if (code !== '26000' && code !== '42P05') throw err;
      this.prepare = false;
      return connection.query(text, values);
    }
  }
}

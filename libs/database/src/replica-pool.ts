import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TilegateConfig } from '@app/config';
import { ServiceUnavailableError } from '@app/errors';
import { describeConnection, parseConnectionString } from './connection-options';
import { GuardedConnection } from './guarded-connection';
import { openPool, PooledClients } from './pooled-clients';
import { ReplayPosition } from './replica-lag';

/**
 * Which database this is: the cluster's system identifier (a streaming replica has its
 * primary's) and the database's name. A DbReadConnection naming another database, or a standby
 * of another cluster, answers with another one.
 */
export const DATABASE_IDENTITY_SQL =
  "(SELECT system_identifier FROM pg_catalog.pg_control_system())::pg_catalog.text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) pg_catalog.current_database()";

/** A check that takes longer than this says the replica is not well (a frozen host, a network partition). */
const CHECK_DEADLINE_MS = 2000;

/** Why a replica is not read from; logged once per change, not once per check. */
export type ReplicaProblem = 'unreachable' | 'lagging' | 'behind a change' | 'not a replica' | 'another database' | 'not checked yet';

/** What a replica reports for metrics and health. */
export interface ReplicaStatus {
  /** Its connection string without the password. */
  url: string;
  usable: boolean;
  /** Seconds of the primary's changes not yet replayed; null when unknown (unreachable, not yet checked). */
  lagSeconds: number | null;
  replayLsn: string | null;
}

/**
 * One streaming replica: its pool (the primary's options) and what the monitor last saw of it.
 * Read from only while `usable`; a connection failure of a request drops it from use at once,
 * and only the monitor puts it back (see ReadReplicas).
 */
export class ReplicaPool extends PooledClients {
  protected readonly logger = new Logger('ReadReplica');
  readonly url: string;
  readonly statementTimeoutMs: number;
  usable = false;
  lagSeconds: number | null = null;
  replayLsn: string | null = null;
  private problem: ReplicaProblem = 'not checked yet';
  private readonly clients: Pool;
  private refreshing: Promise<void> | undefined;

  constructor(connectionString: string, config: TilegateConfig) {
    super();
    const options = parseConnectionString(connectionString, 'DbReadConnection');
    this.url = describeConnection(options);
    this.statementTimeoutMs = config.dbTimeoutSeconds * 1000;
    this.clients = openPool(options, config, config.dbPoolMaxConns, (err) => this.failed(`an idle connection broke: ${err.message}`));
  }

  protected pool(): Pool {
    return this.clients;
  }

  /** Only the monitor puts a replica back in use: one answer does not say it is current. */
  answered(): void {}

  failed(reason: string): void {
    this.notUsable('unreachable', reason);
  }

  /** The monitor saw it answer, in recovery, within the lag allowed. */
  inUse(lagSeconds: number, replayLsn: string): void {
    this.lagSeconds = lagSeconds;
    this.replayLsn = replayLsn;
    if (!this.usable) this.logger.log(`${this.url}: in use (lag ${lagSeconds.toFixed(2)} s)`);
    this.usable = true;
    this.problem = 'not checked yet';
  }

  notUsable(problem: ReplicaProblem, detail: string): void {
    if (problem !== 'lagging') this.lagSeconds = null;
    if (this.usable || this.problem !== problem) this.logger.warn(`${this.url}: not used, ${problem}: ${detail}; tiles and catalog reads go to the primary`);
    this.usable = false;
    this.problem = problem;
  }

  /** Where replay is and whether it is a replica at all. Rejects when it cannot be asked. */
  async position(): Promise<ReplayPosition & { inRecovery: boolean; identity: string }> {
    const [row] = await this.ask<{ in_recovery: boolean; replay_lsn: string | null; replay_age: number | null; identity: string }>(
      `SELECT pg_catalog.pg_is_in_recovery() AS in_recovery, pg_catalog.pg_last_wal_replay_lsn()::pg_catalog.text AS replay_lsn,
              pg_catalog.date_part('epoch', pg_catalog.now() OPERATOR(pg_catalog.-) pg_catalog.pg_last_xact_replay_timestamp()) AS replay_age,
              ${DATABASE_IDENTITY_SQL} AS identity`,
    );
    return { inRecovery: row.in_recovery, replayLsn: row.replay_lsn ?? '0/0', replayAgeSeconds: row.replay_age, identity: row.identity };
  }

  /** Asks for the replay position now (for readsCaughtUpTo); concurrent callers share one query. Never rejects. */
  refreshReplayLsn(): Promise<void> {
    this.refreshing ??= this.ask<{ lsn: string | null }>('SELECT pg_catalog.pg_last_wal_replay_lsn()::pg_catalog.text AS lsn')
      .then(([row]) => {
        if (row.lsn !== null) this.replayLsn = row.lsn;
      })
      .catch((err: Error) => this.failed(err.message))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  status(): ReplicaStatus {
    return { url: this.url, usable: this.usable, lagSeconds: this.lagSeconds, replayLsn: this.replayLsn };
  }

  async end(): Promise<void> {
    await this.clients.end();
  }

  /** One statement outside any transaction, given up after CHECK_DEADLINE_MS. */
  private async ask<R>(text: string): Promise<R[]> {
    const connection = new GuardedConnection(await this.acquire(), CHECK_DEADLINE_MS, undefined);
    try {
      return (await connection.query(text)).rows as R[];
    } catch (err) {
      connection.broken ??= err as Error;
      throw connection.stopped === 'deadline' ? new ServiceUnavailableError(`no answer within ${CHECK_DEADLINE_MS} ms`) : err;
    } finally {
      await connection.release();
    }
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ConnectionPool } from './connection-pool';
import { compareLsn, lsnValue } from './lsn';
import { PrimaryLsnHistory, PrimarySample, replicaLagSeconds } from './replica-lag';
import { DATABASE_IDENTITY_SQL, ReplicaPool, ReplicaStatus } from './replica-pool';

/** How often each replica is checked. */
const CHECK_INTERVAL_MS = 250;
/** A sample of the primary's position this fresh serves every replica's check. */
const PRIMARY_SAMPLE_FRESH_MS = 100;
/** How often readsCaughtUpTo asks a replica that has not caught up yet. */
const CATCH_UP_POLL_MS = 20;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The streaming replicas of DbReadConnection, and which of them may be read from. A monitor
 * checks each replica every 250 ms: it must answer, be in recovery, and lag the primary by at
 * most DbReadMaxLagSeconds (see replicaLagSeconds). `pick()` hands out the usable ones in turn;
 * with none usable (or none configured) reads stay on the primary. With no replica configured
 * nothing runs and no query is ever made. The monitor's timers never hold the process open and
 * its failures are logged at warn, never thrown.
 */
@Injectable()
export class ReadReplicas implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private readonly replicas: ReplicaPool[];
  private readonly history: PrimaryLsnHistory;
  private primarySampling: Promise<PrimarySample | undefined> | undefined;
  private primaryProblem: string | undefined;
  private next = 0;
  private stopped = false;
  /**
   * The newest primary position a change was waited for at (readsCaughtUpTo). Such a wait
   * ends for a replica that is out of use, and what then invalidates the cache again is past: so a
   * replica comes back into use only once it has replayed this, or it would render, and the
   * cache keep, tiles from before a change (a REVOKE, an UPDATE) the cache has already dealt with.
   */
  private changeLsn: string | undefined;
  /** The primary's DATABASE_IDENTITY_SQL, read once. */
  private identity: Promise<string> | undefined;

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly primary: ConnectionPool,
  ) {
    this.replicas = config.dbReadConnections.map((url) => new ReplicaPool(url, config));
    this.history = new PrimaryLsnHistory((config.dbReadMaxLagSeconds + 5) * 1000);
  }

  /** Starts one check loop per replica; resolves after the first round (or 1 s), so reads can use replicas from the start. */
  async start(): Promise<void> {
    const firstChecks = this.replicas.map((replica) => this.check(replica));
    this.replicas.forEach((replica, i) => {
      void firstChecks[i]
        .then(() => this.monitor(replica))
        .catch((err: Error) => this.logger.warn(`the monitor of ${replica.url} stopped: ${err.message}`));
    });
    await Promise.race([Promise.all(firstChecks), sleep(1000)]);
  }

  /** The next usable replica in turn, or undefined: then the primary. */
  pick(): ReplicaPool | undefined {
    const usable = this.replicas.filter((replica) => replica.usable);
    if (usable.length === 0) return undefined;
    this.next = (this.next + 1) % usable.length;
    return usable[this.next];
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * The primary's WAL position now, to hand to readsCaughtUpTo after a change: its insert
   * position, which covers every change already visible. pg_current_wal_lsn() (the write position)
   * can be before a commit that is visible already: with synchronous_commit = off a commit is
   * visible before its WAL is written, and readsCaughtUpTo would then wait for too little.
   * With no replica configured: '0/0', without a query (nothing reads behind the primary).
   */
  async primaryLsn(): Promise<string> {
    if (this.replicas.length === 0) return '0/0';
    return this.askPrimary('SELECT pg_catalog.pg_current_wal_insert_lsn()::pg_catalog.text AS value');
  }

  /** One text value (`AS value`) from the primary. */
  private async askPrimary(sql: string): Promise<string> {
    const client = await this.primary.acquire();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ value: string }>(sql);
      return rows[0].value;
    } catch (err) {
      if (this.primary.lost(client)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Resolves once every replica in use has replayed `primaryLsn`: reads after that see what the
   * primary had then. A replica dropped from use meanwhile counts as caught up (it is not read
   * from, and comes back only once it has replayed `primaryLsn`: see changeLsn). Immediately
   * with no replica; never rejects; at the latest after DbReadMaxLagSeconds + 1 s, by when a
   * replica still behind is about to be dropped for its lag.
   */
  async readsCaughtUpTo(primaryLsn: string): Promise<void> {
    const deadline = Date.now() + (this.config.dbReadMaxLagSeconds + 1) * 1000;
    try {
      // lsnValue first: a malformed position throws here, and is never remembered.
      if (this.changeLsn === undefined ? lsnValue(primaryLsn) >= 0n : compareLsn(primaryLsn, this.changeLsn) > 0) this.changeLsn = primaryLsn;
      for (;;) {
        const behind = this.replicas.filter((r) => r.usable && (r.replayLsn === null || compareLsn(r.replayLsn, primaryLsn) < 0));
        if (behind.length === 0 || Date.now() >= deadline) return;
        await Promise.race([Promise.all(behind.map((r) => r.refreshReplayLsn())), sleep(Math.max(0, deadline - Date.now()))]);
        if (behind.some((r) => r.usable && r.replayLsn !== null && compareLsn(r.replayLsn, primaryLsn) < 0)) await sleep(CATCH_UP_POLL_MS);
      }
    } catch (err) {
      // A malformed LSN from the caller: waiting cannot help, and this must not reject.
      this.logger.warn(`readsCaughtUpTo: ${(err as Error).message}`);
    }
  }

  /** Per replica, for metrics and health. */
  status(): ReplicaStatus[] {
    return this.replicas.map((replica) => replica.status());
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.replicas.map((replica) => replica.end().catch(() => undefined)));
  }

  private async monitor(replica: ReplicaPool): Promise<void> {
    while (!this.stopped) {
      await sleep(CHECK_INTERVAL_MS);
      if (this.stopped) return;
      await this.check(replica);
    }
  }

  /** One check of one replica; never throws. */
  private async check(replica: ReplicaPool): Promise<void> {
    try {
      const sample = await this.primarySample();
      const position = await replica.position();
      if (this.stopped) return;
      if (!position.inRecovery) return replica.notUsable('not a replica', 'pg_is_in_recovery() is false (promoted?): its data may have parted from the primary');
      const primaryIdentity = await this.primaryIdentity();
      // The primary cannot be asked: keep the last verdict, as for its position below.
      if (primaryIdentity === undefined) return;
      if (position.identity !== primaryIdentity) {
        return replica.notUsable('another database', `it is ${position.identity} (system identifier/database), the primary is ${primaryIdentity}: DbReadConnection must name a streaming replica of the same database`);
      }
      // The primary cannot be asked: its position is unknown, so keep the last verdict (nothing is written meanwhile).
      if (sample === undefined) return;
      const lag = replicaLagSeconds(position, this.history.samples, Date.now());
      const withinLag = lag <= this.config.dbReadMaxLagSeconds;
      if (withinLag && !this.behindChange(replica, position.replayLsn)) return replica.inUse(lag, position.replayLsn);
      replica.replayLsn = position.replayLsn;
      if (withinLag) return replica.notUsable('behind a change', `has not replayed ${this.changeLsn} yet, a change tilegate has already seen on the primary`);
      replica.lagSeconds = Number.isFinite(lag) ? lag : null;
      replica.notUsable('lagging', `${Number.isFinite(lag) ? lag.toFixed(1) : 'unknown'} s behind, more than DbReadMaxLagSeconds (${this.config.dbReadMaxLagSeconds})`);
    } catch (err) {
      if (!this.stopped) replica.failed((err as Error).message);
    }
  }

  /** undefined while the primary cannot be asked (asked again at the next check). */
  private async primaryIdentity(): Promise<string | undefined> {
    this.identity ??= this.askPrimary(`SELECT ${DATABASE_IDENTITY_SQL} AS value`);
    try {
      return await this.identity;
    } catch {
      this.identity = undefined;
      return undefined;
    }
  }

  /** A replica out of use that has not replayed the newest change waited for (changeLsn): it stays out. */
  private behindChange(replica: ReplicaPool, replayLsn: string): boolean {
    return !replica.usable && this.changeLsn !== undefined && compareLsn(replayLsn, this.changeLsn) < 0;
  }

  /** The primary's position, sampled at most every PRIMARY_SAMPLE_FRESH_MS for all replicas; undefined when it cannot be asked. */
  private primarySample(): Promise<PrimarySample | undefined> {
    const latest = this.history.latest;
    if (latest !== undefined && Date.now() - latest.atMs < PRIMARY_SAMPLE_FRESH_MS) return Promise.resolve(latest);
    // The write position: WAL a replica can have received (the insert position runs ahead of it).
    this.primarySampling ??= this.askPrimary('SELECT pg_catalog.pg_current_wal_lsn()::pg_catalog.text AS value')
      .then((lsn) => {
        const sample = { atMs: Date.now(), lsn };
        this.history.add(sample);
        this.primaryProblem = undefined;
        return sample;
      })
      .catch((err: Error) => {
        if (!this.stopped && this.primaryProblem !== err.message) this.logger.warn(`cannot read the primary's WAL position, replica lag unknown: ${err.message}`);
        this.primaryProblem = err.message;
        return undefined;
      })
      .finally(() => (this.primarySampling = undefined));
    return this.primarySampling;
  }
}

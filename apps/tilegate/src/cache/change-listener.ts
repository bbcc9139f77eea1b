import { EventEmitter } from 'node:events';
import { ChangeBatch, CHANGES_CHANNEL, DDL_CHANNEL } from './change-batch';
import { ReconnectBackoff } from './reconnect-backoff';
import { ChangeListenerLogger, ChangeListenerTiming, DEFAULT_LISTENER_TIMING, ListenConnection, OpenListenConnection } from './listen-connection';
import { ListenerProbe, PROBE_CHANNEL, unref } from './listener-probe';

export * from './listen-connection';

/**
 * - `tables`: these tables changed (committed). `primaryLsn` is the primary's WAL insert position
 *   read after the notifications arrived, so at or past their commits: a replica that has
 *   replayed it shows the changes.
 * - `ddl`: some DDL committed; anything may have changed.
 * - `lost`: notifications may have been missed (connection ended, failed, or stopped answering).
 * - `listening`: connected and LISTENing again; from here on nothing is missed.
 */
export interface ChangeListenerEvents {
  tables: [oids: number[], primaryLsn: string];
  ddl: [primaryLsn: string];
  lost: [];
  listening: [];
}

/**
 * Hears sql/tile-cache-invalidation.sql's notifications on one dedicated connection to the
 * primary. Never throws into the process: every failure is logged, reported as `lost`, and
 * followed by reconnecting with backoff. Until `listening` fires nothing is heard, so the cache
 * must not trust notifications before it. The connection is checked every pingIntervalMs
 * (ListenerProbe), so a hung server, a silent network or a pooled backend ends in `lost` too.
 *
 * `pg_current_wal_insert_lsn()` rather than `pg_current_wal_lsn()`: with synchronous_commit = off a
 * commit can be visible to NOTIFY before the WAL writer has written it, and the write position
 * would then be before the commit. (The insert position can sit just past a page header, which a
 * replica only passes with the next record: waiting for it costs time, never correctness.)
 */
export class ChangeListener extends EventEmitter<ChangeListenerEvents> {
  private readonly timing: ChangeListenerTiming;
  private readonly backoff: ReconnectBackoff;
  private readonly probe: ListenerProbe;
  private connection: ListenConnection | undefined;
  /** Bumped on every (re)connect and on close: callbacks of an older connection do nothing. */
  private generation = 0;
  private listening = false;
  private closed = false;
  private batch = new ChangeBatch();
  private flushTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;

  /** `sendEcho`: how the probe notifies itself from another session (see ListenerProbe). */
  constructor(
    private readonly open: OpenListenConnection,
    private readonly logger: ChangeListenerLogger,
    timing: Partial<ChangeListenerTiming> = {},
    sendEcho?: (channel: string, payload: string) => Promise<void>,
  ) {
    super();
    this.timing = { ...DEFAULT_LISTENER_TIMING, ...timing };
    this.probe = new ListenerProbe(this.timing, sendEcho);
    this.backoff = new ReconnectBackoff({ initialMs: this.timing.reconnectInitialMs, maxMs: this.timing.reconnectMaxMs });
  }

  /** Whether notifications are being heard right now. */
  get isListening(): boolean {
    return this.listening;
  }

  /** The listening backend's pid, while connected. */
  get processId(): number | undefined {
    return this.connection?.processId;
  }

  /** Starts connecting; returns at once (failures are retried, reported as warnings). */
  start(): void {
    if (this.closed || this.connection || this.reconnectTimer) return;
    void this.connect();
  }

  /** Stops everything: no more events, no timers, the connection closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    this.clearTimers();
    this.connection?.destroy();
    this.connection = undefined;
    this.listening = false;
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    const generation = ++this.generation;
    let connection: ListenConnection | undefined;
    try {
      connection = await this.open({
        notification: (channel, payload) => generation === this.generation && this.received(channel, payload),
        closed: (reason) => generation === this.generation && this.drop(reason),
      });
      if (generation !== this.generation) return connection.destroy();
      this.connection = connection;
      await connection.query(`LISTEN ${CHANGES_CHANNEL}; LISTEN ${DDL_CHANNEL}; LISTEN ${PROBE_CHANNEL}`);
      // Listening only counts once another session's notification has come back.
      await this.probe.prove(connection);
    } catch (err) {
      if (generation !== this.generation) return connection?.destroy();
      return this.drop(`cannot listen: ${(err as Error).message}`);
    }
    if (generation !== this.generation) return;
    this.backoff.reset();
    this.listening = true;
    this.schedulePing(generation);
    this.tell('listening');
  }

  private received(channel: string, payload: string): void {
    if (channel === PROBE_CHANNEL) return this.probe.heard(payload);
    if (!this.batch.add(channel, payload)) {
      this.logger.warn({ channel, payload: payload.slice(0, 100) }, 'tile cache listener: ignored a notification that no tilegate trigger sends');
      return;
    }
    this.flushTimer ??= unref(setTimeout(() => void this.flush(this.generation), this.timing.coalesceMs));
  }

  private async flush(generation: number): Promise<void> {
    this.flushTimer = undefined;
    const connection = this.connection;
    if (!connection || generation !== this.generation || this.batch.isEmpty) return;
    const changes = this.batch.take();
    let lsn: string;
    try {
      const rows = await connection.query('SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn');
      lsn = String(rows[0].lsn);
    } catch (err) {
      // Without a position the replicas cannot be waited for: report the changes as lost instead.
      if (generation === this.generation) this.drop(`cannot read the primary's WAL position: ${(err as Error).message}`);
      return;
    }
    if (generation !== this.generation) return;
    if (changes.ddl) this.tell('ddl', lsn);
    if (changes.tableOids.length > 0) this.tell('tables', changes.tableOids, lsn);
  }

  private schedulePing(generation: number): void {
    this.pingTimer = unref(setTimeout(() => void this.ping(generation), this.timing.pingIntervalMs));
  }

  private async ping(generation: number): Promise<void> {
    const connection = this.connection;
    if (!connection || generation !== this.generation) return;
    try {
      await this.probe.check(connection);
    } catch (err) {
      if (generation === this.generation) this.drop((err as Error).message);
      return;
    }
    if (generation === this.generation) this.schedulePing(generation);
  }

  /** The connection is gone or untrustworthy: say so once, and try again after the backoff. */
  private drop(reason: string): void {
    if (this.closed) return;
    const wasListening = this.listening;
    this.generation++;
    this.clearTimers();
    this.batch = new ChangeBatch();
    this.connection?.destroy();
    this.connection = undefined;
    this.listening = false;
    const delayMs = this.backoff.next();
    this.logger.warn({ reason, retryInMs: delayMs }, 'tile cache listener: not listening for data changes; cached tiles will be dropped');
    this.reconnectTimer = unref(setTimeout(() => void this.connect(), delayMs));
    if (wasListening) this.tell('lost');
  }

  /** A subscriber that throws must not take the listener (or, through a timer, the process) down. */
  private tell<K extends keyof ChangeListenerEvents>(event: K, ...args: ChangeListenerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: ChangeListenerEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.logger.warn({ event, err: (err as Error).message }, 'tile cache listener: a subscriber failed');
    }
  }

  private clearTimers(): void {
    for (const timer of [this.flushTimer, this.pingTimer, this.reconnectTimer]) clearTimeout(timer);
    this.flushTimer = this.pingTimer = this.reconnectTimer = undefined;
  }
}

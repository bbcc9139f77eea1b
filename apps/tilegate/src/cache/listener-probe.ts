import { randomBytes } from 'node:crypto';
import type { ChangeListenerTiming, ListenConnection } from './listen-connection';

/** Each listener pings itself through this channel; the payload says whose ping it is. */
export const PROBE_CHANNEL = 'tilegate_listener_ping';
/** Every this many checks the probe also proves that notifications still reach the connection. */
const ECHO_EVERY_CHECKS = 10;
const ECHO_ID = randomBytes(6).toString('hex');

/**
 * Proves that the change listener's connection still hears what the triggers send. A query's
 * answer proves only that the connection is up; through a transaction-mode PgBouncer LISTEN
 * succeeds and nothing ever arrives. So the probe checks that every answer comes from the
 * backend that LISTENed, and now and then sends a notification to itself from another session
 * and waits for it to come back. Each method rejects, saying why, when the connection fails it.
 */
export class ListenerProbe {
  private pendingEcho: { payload: string; arrived: () => void } | undefined;
  private echoes = 0;
  private checks = 0;
  /** The backend that LISTENed on the current connection (read by its first check). */
  private listeningPid: number | undefined;

  /**
   * `sendEcho` sends a notification from ANOTHER session (tilegate's pool): one that comes back
   * proves that notifications other sessions send reach this connection, which is what the
   * triggers need. Without it, the probe echoes through the connection itself (tests).
   */
  constructor(
    private readonly timing: Pick<ChangeListenerTiming, 'pingTimeoutMs' | 'echoTimeoutMs'>,
    private readonly sendEcho?: (channel: string, payload: string) => Promise<void>,
  ) {}

  /** A connection that has just LISTENed on PROBE_CHANNEL: resolves once it has heard its own echo. */
  async prove(connection: ListenConnection): Promise<void> {
    this.listeningPid = undefined;
    await this.sameBackend(connection);
    await this.echo(connection);
  }

  /** The periodic check: an answer within pingTimeoutMs from the same backend, and every tenth time an echo. */
  async check(connection: ListenConnection): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timeout = unref(setTimeout(() => reject(new Error(`no answer to a ping within ${this.timing.pingTimeoutMs} ms`)), this.timing.pingTimeoutMs));
    });
    try {
      await Promise.race([this.sameBackend(connection), hung]);
      if (++this.checks % ECHO_EVERY_CHECKS === 0) await this.echo(connection);
    } finally {
      clearTimeout(timeout);
    }
  }

  /** A notification on PROBE_CHANNEL. Other tilegate processes ping on the same channel: only our own echo counts. */
  heard(payload: string): void {
    if (this.pendingEcho?.payload === payload) this.pendingEcho.arrived();
  }

  /** A pooler (PgBouncer in transaction mode) that hands this connection another backend loses notifications. */
  private async sameBackend(connection: ListenConnection): Promise<void> {
    const rows = await connection.query('SELECT pg_catalog.pg_backend_pid() AS pid');
    const pid = Number(rows[0]?.pid);
    this.listeningPid ??= pid;
    if (pid !== this.listeningPid) throw new Error('the listening connection is pooled (its backend changed): LISTEN needs a direct connection to the primary, or a session-mode pooler');
  }

  private echo(connection: ListenConnection): Promise<void> {
    const payload = `${ECHO_ID}:${++this.echoes}`;
    return new Promise<void>((resolve, reject) => {
      const timer = unref(
        setTimeout(() => reject(new Error(`no notification came back within ${this.timing.echoTimeoutMs} ms (LISTEN does not work on this connection: a transaction-mode PgBouncer?)`)), this.timing.echoTimeoutMs),
      );
      this.pendingEcho = {
        payload,
        arrived: () => {
          clearTimeout(timer);
          this.pendingEcho = undefined;
          resolve();
        },
      };
      const sent = this.sendEcho ? this.sendEcho(PROBE_CHANNEL, payload) : connection.query(`SELECT pg_catalog.pg_notify('${PROBE_CHANNEL}', '${payload}')`);
      sent.catch((err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }
}

export function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}

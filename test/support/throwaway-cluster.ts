import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, withClient } from '../../scripts/lib/pg-admin';
import { freePort } from './free-port';
import { chownForServer, isAlive, reapAfterExit, stopReaping, runAsServerUser, trySignal, waitForExit } from './processes';
import type { TestDatabase, TestRoles } from './test-database';

/** Where the PostgreSQL binaries are; the cluster's major version must have PostGIS installed. */
export const PG_BIN = process.env.TILEGATE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayClusterOptions {
  /** Extra postgresql.conf settings, applied after (so overriding) the test defaults below. */
  settings?: Record<string, string>;
  /** max_connections (default 50); also settable through `settings`. */
  maxConnections?: number;
  /** Makes the data directory instead of initdb (a replica's pg_basebackup); `directory` is the cluster's temp directory. */
  createDataDirectory?: (dataDirectory: string, directory: string) => Promise<void>;
}

/**
 * A private PostgreSQL cluster for tests that must stop, restart or break the server, which the
 * shared cluster on 5432 must never suffer. Trust authentication on 127.0.0.1 only.
 */
export interface ThrowawayCluster {
  readonly port: number;
  /** The `postgres` superuser on database `postgres`. */
  readonly adminUrl: string;
  /** The temp directory holding the data directory, the socket and the server log. */
  readonly directory: string;
  readonly dataDirectory: string;
  /** The running postmaster's pid (changes across restarts); undefined while stopped. */
  readonly postmasterPid: number | undefined;
  /** pg_ctl stop: 'fast' (default) rolls back and disconnects clients; 'immediate' is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /**
   * pg_terminate_backend on every client backend but our own, or only those matching `filter`: an
   * SQL condition over pg_stat_activity's columns, e.g. `datname = 'x' AND usename = 'y'`. Resolves
   * with how many were terminated.
   */
  terminateBackends(filter?: string): Promise<number>;
  /** The tail of the server log, for failure messages. */
  log(lines?: number): string;
  /** Stops the server at once and removes its directory. Safe to call twice, or after a failed start. */
  destroy(): Promise<void>;
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

export async function startThrowawayCluster(options: ThrowawayClusterOptions = {}): Promise<ThrowawayCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'tilegate-pg-'));
  chownForServer(directory);
  const dataDirectory = join(directory, 'data');
  const logFile = join(directory, 'server.log');
  const pidFile = join(dataDirectory, 'postmaster.pid');
  let port = 0;
  let postmasterPid: number | undefined;
  let destroyed = false;

  const pgCtl = (...args: string[]) => runAsServerUser(join(PG_BIN, 'pg_ctl'), ['-D', dataDirectory, ...args], directory);
  const log = (lines = 30) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no server log)');

  const readPostmasterPid = () => Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

  const start = async () => {
    if (destroyed) throw new Error('the throwaway cluster was destroyed');
    if (postmasterPid !== undefined && isAlive(postmasterPid)) return;
    try {
      await pgCtl('start', '-w', '-t', '60', '-l', logFile);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nserver log:\n${log()}`);
    }
    postmasterPid = readPostmasterPid();
    // SIGQUIT is an immediate shutdown: the postmaster takes its backends down with it.
    reapAfterExit(postmasterPid, { signal: 'SIGQUIT', dir: directory });
  };

  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!existsSync(pidFile)) {
      postmasterPid = undefined;
      return;
    }
    const pid = postmasterPid ?? readPostmasterPid();
    try {
      await pgCtl('stop', '-w', '-t', '30', '-m', mode);
    } catch (err) {
      // pg_ctl could not do it (a stale pid file, a hung server): do what 'immediate' does by hand.
      trySignal(pid, 'SIGQUIT');
      if (!(await waitForExit(pid, 5000))) trySignal(pid, 'SIGKILL');
      if (isAlive(pid)) throw err;
    }
    // pg_ctl -w returns once the pid file is gone; make sure the postmaster itself is too.
    await waitForExit(pid, 5000);
    stopReaping(pid);
    postmasterPid = undefined;
  };

  const destroy = async () => {
    if (destroyed) return;
    try {
      await stop('immediate');
    } finally {
      destroyed = true;
      rmSync(directory, { recursive: true, force: true });
    }
  };

  try {
    if (options.createDataDirectory) await options.createDataDirectory(dataDirectory, directory);
    else {
      await runAsServerUser(
        join(PG_BIN, 'initdb'),
        ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        directory,
      );
    }
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      // Its own socket directory: the default (/var/run/postgresql) belongs to the shared cluster.
      unix_socket_directories: directory,
      max_connections: String(options.maxConnections ?? 50),
      shared_buffers: '16MB',
      // Durability is worthless for a cluster that is thrown away; speed is not.
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_worker_processes: '4',
      max_parallel_workers_per_gather: '0',
      autovacuum: 'off',
      log_min_messages: 'warning',
      log_line_prefix: '%m [%p] %u@%d ',
      ...options.settings,
    };
    const conf = join(dataDirectory, 'postgresql.conf');
    appendFileSync(conf, `\n# tilegate throwaway cluster\n${Object.entries(settings).map(([k, v]) => `${k} = ${quote(v)}`).join('\n')}\n`);
    // Another process may take the free port before the server binds it: try a few (the last
    // port line wins).
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      appendFileSync(conf, `port = ${port}\n`);
      try {
        await start();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|already in use/i.test((err as Error).message)) throw err;
      }
    }
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }

  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    directory,
    dataDirectory,
    get postmasterPid() {
      return postmasterPid;
    },
    stop,
    start,
    restart: async () => {
      await stop('fast');
      await start();
    },
    terminateBackends: (filter) =>
      withClient(adminUrl, async (c) => {
        const { rows } = await c.query(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()${filter ? ` AND (${filter})` : ''}`,
        );
        return (rows[0] as { n: number }).n;
      }),
    log,
    destroy,
  };
}

/** A database made by createDatabaseOn: a TestDatabase whose authenticator also has a password. */
export interface ClusterDatabase extends TestDatabase {
  /** The authenticator's password: the cluster trusts 127.0.0.1, but PgBouncer checks it. */
  authenticatorPassword: string;
}

/**
 * Like createTestDatabase, on a throwaway cluster: a database, the roles of a real deployment (a
 * NOINHERIT login authenticator, here with a password, granted NOLOGIN anon/member/analyst/regional
 * roles), and `fixtureSql` run with `{{role}}` placeholders replaced. The test/fixtures files create
 * PostGIS themselves; it is created afterwards if the fixture did not.
 */
export async function createDatabaseOn(cluster: ThrowawayCluster, fixtureSql = ''): Promise<ClusterDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `tilegate_test_${suffix}`;
  const roles: TestRoles = {
    authenticator: `tg_${suffix}_authenticator`,
    anon: `tg_${suffix}_anon`,
    member: `tg_${suffix}_member`,
    analyst: `tg_${suffix}_analyst`,
    regional: `tg_${suffix}_regional`,
  };
  const password = randomBytes(12).toString('hex');
  await withClient(cluster.adminUrl, async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`CREATE ROLE ${roles.authenticator} LOGIN NOINHERIT PASSWORD '${password}'`);
    for (const role of [roles.anon, roles.member, roles.analyst, roles.regional]) {
      await c.query(`CREATE ROLE ${role} NOLOGIN`);
      await c.query(`GRANT ${role} TO ${roles.authenticator}`);
    }
  });
  const adminUrl = databaseUrl(cluster.adminUrl, name);
  let sql = fixtureSql;
  for (const [key, role] of Object.entries(roles)) sql = sql.replaceAll(`{{${key}}}`, role);
  const drop = () =>
    withClient(cluster.adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      for (const role of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  try {
    await withClient(adminUrl, async (c) => {
      if (sql.trim()) await c.query(sql);
      await c.query('CREATE EXTENSION IF NOT EXISTS postgis');
    });
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return {
    name,
    roles,
    authenticatorPassword: password,
    authenticatorUrl: databaseUrl(cluster.adminUrl, name, roles.authenticator, password),
    adminUrl,
    admin: <T>(text: string) => withClient(adminUrl, async (c) => (await c.query(text)).rows as T[]),
    drop,
  };
}

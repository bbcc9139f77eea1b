import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { chownForServer, reapAfterExit, runningAsRoot, SERVER_OS_USER, stopReaping, waitForExit } from './processes';

export const PGBOUNCER_BIN = process.env.TILEGATE_TEST_PGBOUNCER ?? '/usr/sbin/pgbouncer';

/**
 * Startup parameters PgBouncer drops instead of refusing the connection. node-postgres sends only
 * user and database, plus application_name (tilegate sets it; PgBouncer tracks that one itself)
 * and, only when configured, statement_timeout, lock_timeout, idle_in_transaction_session_timeout,
 * options and replication (pg/lib/client.js getStartupConf). extra_float_digits is what JDBC and
 * other drivers send. tilegate sets its statement_timeout per transaction, so ignoring it here
 * hides nothing it relies on.
 */
export const DEFAULT_IGNORED_STARTUP_PARAMETERS = ['extra_float_digits', 'statement_timeout', 'options'];

export interface PgBouncerOptions {
  targetHost?: string;
  targetPort: number;
  /** The database clients ask for; PgBouncer forwards it under the same name. */
  database: string;
  poolMode?: 'transaction' | 'session' | 'statement';
  /** The login PgBouncer checks clients against (and passes on to the server). */
  user: string;
  password: string;
  /** More logins for the auth file: user → password. */
  moreUsers?: Record<string, string>;
  /** How PgBouncer checks clients' passwords; the auth file holds them in plain text either way. */
  authType?: 'plain' | 'md5' | 'scram-sha-256';
  maxClientConn?: number;
  defaultPoolSize?: number;
  ignoreStartupParameters?: string[];
  /** Extra [pgbouncer] settings, applied after (so overriding) the defaults. */
  settings?: Record<string, string>;
}

export interface PgBouncer {
  port: number;
  pid: number;
  /** Its temp directory (ini, auth file; also its cwd). */
  directory: string;
  /** `userUrl` (any postgresql:// URL for the target database) pointed at this PgBouncer instead. */
  url(userUrl: string): string;
  /** PgBouncer's own log so far, for failure messages. */
  log(): string;
  /** Kills PgBouncer and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** What startTransactionPooler needs of a test database. */
interface PooledDatabase {
  name: string;
  roles: { authenticator: string };
  authenticatorPassword: string;
}

/**
 * A transaction-mode PgBouncer in front of `db`'s server, for its authenticator: tilegate as it is
 * deployed behind one. `options` add to (or override) that.
 */
export function startTransactionPooler(targetPort: number, db: PooledDatabase, options: Partial<PgBouncerOptions> = {}): Promise<PgBouncer> {
  return startPgBouncer({ targetPort, database: db.name, poolMode: 'transaction', user: db.roles.authenticator, password: db.authenticatorPassword, ...options });
}

const quoteAuth = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * A PgBouncer in front of `targetHost:targetPort`, in the foreground as a child process (so stop()
 * is a kill), listening on a free 127.0.0.1 port with no Unix socket. Resolves once it accepts
 * TCP connections.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const directory = mkdtempSync(join(tmpdir(), 'tilegate-pgbouncer-'));
  chownForServer(directory);
  const authFile = join(directory, 'userlist.txt');
  const users = { [options.user]: options.password, ...options.moreUsers };
  writeFileSync(authFile, Object.entries(users).map(([u, p]) => `${quoteAuth(u)} ${quoteAuth(p)}\n`).join(''), { mode: 0o600 });
  chownForServer(authFile);

  let output = '';
  const log = () => output.trimEnd();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings: Record<string, string> = {
      listen_addr: '127.0.0.1',
      listen_port: String(port),
      unix_socket_dir: '',
      auth_type: options.authType ?? 'md5',
      auth_file: authFile,
      pool_mode: options.poolMode ?? 'transaction',
      max_client_conn: String(options.maxClientConn ?? 100),
      default_pool_size: String(options.defaultPoolSize ?? 5),
      ignore_startup_parameters: (options.ignoreStartupParameters ?? DEFAULT_IGNORED_STARTUP_PARAMETERS).join(', '),
      // The default (15 s) would make every test that restarts the server wait that long.
      server_login_retry: '1',
      server_connect_timeout: '5',
      query_wait_timeout: '30',
      ...options.settings,
    };
    const ini = join(directory, 'pgbouncer.ini');
    writeFileSync(
      ini,
      `[databases]\n${options.database} = host=${options.targetHost ?? '127.0.0.1'} port=${options.targetPort} dbname=${options.database}\n\n` +
        `[pgbouncer]\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`,
    );
    chownForServer(ini);
    output = '';
    // PgBouncer refuses to run as root; -u makes it drop to the server user while staying our child.
    const child = spawn(PGBOUNCER_BIN, [...(runningAsRoot() ? ['-u', SERVER_OS_USER] : []), ini], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      await acceptsConnections(child, port, log);
    } catch (err) {
      await kill(child);
      if (attempt < 3 && /in use|bind/i.test(log())) continue;
      rmSync(directory, { recursive: true, force: true });
      throw err;
    }
    reapAfterExit(child.pid!, { signal: 'SIGTERM', dir: directory });
    let stopped = false;
    return {
      port,
      pid: child.pid!,
      directory,
      url: (userUrl) => {
        const url = new URL(userUrl);
        url.hostname = '127.0.0.1';
        url.port = String(port);
        return url.toString();
      },
      log,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await kill(child);
        stopReaping(child.pid!);
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
}

/** Resolves once `port` takes a TCP connection; rejects if the child exits first or 10 s pass. */
function acceptsConnections(child: ChildProcess, port: number, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`pgbouncer exited (${signal ?? code}) before accepting connections:\n${log()}`));
    child.once('exit', onExit);
    child.once('error', (err) => finish(new Error(`cannot run ${PGBOUNCER_BIN}: ${err.message}`)));
    const attempt = () => {
      if (settled) return;
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) finish(new Error(`pgbouncer did not listen on ${port} within 10 s:\n${log()}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/** SIGTERM (an immediate shutdown up to 1.22; newer versions wait for clients), then SIGKILL. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(escalate);
  await waitForExit(child.pid, 1000);
}

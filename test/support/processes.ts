import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

// Shared by the throwaway cluster and the PgBouncer helper: running server binaries as the
// `postgres` OS user when the tests run as root (CI does; initdb, postgres and pgbouncer all refuse
// root), and making sure nothing they start outlives the test run.

/** The OS user that runs the server binaries when the tests run as root. */
export const SERVER_OS_USER = 'postgres';

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

let serverUser: { uid: number; gid: number } | undefined;

/** uid/gid of SERVER_OS_USER, looked up once. */
export function serverOsUser(): { uid: number; gid: number } {
  if (!serverUser) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_OS_USER], { encoding: 'utf8' }).trim());
      serverUser = { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new Error(`tests run as root, so they need an OS user named "${SERVER_OS_USER}" to run PostgreSQL and PgBouncer (apt-get install postgresql creates it)`);
    }
  }
  return serverUser;
}

/** Hands `path` (not recursively) to the server user when running as root; a no-op otherwise. */
export function chownForServer(path: string): void {
  if (!runningAsRoot()) return;
  const { uid, gid } = serverOsUser();
  chownSync(path, uid, gid);
}

/**
 * Runs a server binary to completion, as SERVER_OS_USER when root (through runuser, which keeps the
 * environment), and resolves with its output; rejects with the command's stderr in the message.
 */
export function runAsServerUser(file: string, args: string[], cwd: string): Promise<string> {
  const [command, commandArgs] = runningAsRoot() ? ['runuser', ['-u', SERVER_OS_USER, '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { cwd, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${(stderr || stdout || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/**
 * Whether `pid` is a running process. A zombie counts as gone: the postmaster is reparented when
 * pg_ctl exits, and whoever is PID 1 (in some containers a process that reaps only now and then)
 * may leave it a zombie for a while after it has exited.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else (not ours when we are root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    // No /proc (not Linux): trust the signal; or it exited just now.
    return existsSync('/proc/self/stat') ? false : true;
  }
}

/** Waits up to `ms` for `pid` to go away; true if it did. */
export async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/**
 * PIDs of live processes whose working directory is inside `dir`. The postmaster chdirs to its data
 * directory and every backend inherits that, so this finds a cluster's processes (and PgBouncer's,
 * which is started in its temp dir) even after they have been reparented. Linux only (/proc).
 */
export function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`).replace(/ \(deleted\)$/, '');
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

interface Leftover {
  /** The signal that makes it shut down (and take its children with it) at once. */
  signal: NodeJS.Signals;
  /** Its working directory: it is signalled only if its cwd is still in here (no pid reuse accidents), and this is removed after. */
  dir: string;
}

// Waits for the test process to die, then signals the leftover (if it is still the process whose
// cwd is in $dir), SIGKILLs it after 3 s, and removes $dir. (A zombie has no cwd: that counts as gone.)
const WATCHDOG = `
parent=$1 pid=$2 sig=$3 dir=$4
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in
  "$dir"|"$dir"/*)
    kill -"$sig" "$pid" 2>/dev/null
    i=0; while [ -e "/proc/$pid/cwd" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done
    kill -KILL "$pid" 2>/dev/null ;;
esac
rm -rf "$dir"
`;

const watchdogs = new Map<number, ChildProcess>();

/**
 * Last resort for a run that ends without its afterAll (a crash, a timeout, a forgotten destroy,
 * jest killed): a detached watchdog shell that outlives the test process, notices it is gone and
 * shuts `pid` down. A process 'exit' hook cannot do this job here: inside a jest sandbox, `process`
 * is a copy whose 'exit' event never fires, and a killed jest worker runs no hooks at all.
 */
export function reapAfterExit(pid: number, leftover: Leftover): void {
  stopReaping(pid);
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'tilegate-test-watchdog', String(process.pid), String(pid), leftover.signal.replace(/^SIG/, ''), leftover.dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  watchdogs.set(pid, watchdog);
}

/** The process was shut down properly: call its watchdog off. */
export function stopReaping(pid: number): void {
  watchdogs.get(pid)?.kill('SIGKILL');
  watchdogs.delete(pid);
}

export function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { reapAfterExit, stopReaping, trySignal, waitForExit } from './processes';

export const REDIS_SERVER_BIN = process.env.TILEGATE_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisRestartOptions {
  /** Load the dump.rdb of the last `SAVE` again: a Redis restored from an older snapshot. */
  keepData?: boolean;
  /** Extra `--name value` arguments for the new process (e.g. ['--min-replicas-to-write', '1']). */
  args?: string[];
}

export interface RedisServer {
  port: number;
  url: string;
  /** Its temp directory (cwd and --dir, where a SAVE puts dump.rdb). */
  directory: string;
  /** Sends one command and resolves with the first line of the reply (`+PONG`, `:3`, `$5`...). */
  command(...args: string[]): Promise<string>;
  /** SIGSTOP: the port stays open but nothing answers, like a Redis stuck on a slow command. */
  pause(): void;
  resume(): void;
  /** SIGKILL; the directory stays for restart(). */
  kill(): Promise<void>;
  /** Kills it if running and starts it again on the same port; resolves once it answers PING. */
  restart(options?: RedisRestartOptions): Promise<void>;
  /** Kills it and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free 127.0.0.1 port (never the 6379 some machines run), in
 * the foreground as a child process, with persistence off. Resolves once it answers PING.
 */
export async function startRedisServer(args: string[] = []): Promise<RedisServer> {
  const directory = mkdtempSync(join(tmpdir(), 'tilegate-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  const launch = async (extra: string[]) => {
    output = '';
    const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', directory, ...extra];
    const started = spawn(REDIS_SERVER_BIN, argv, { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout!.on('data', (chunk) => (output += chunk));
    started.stderr!.on('data', (chunk) => (output += chunk));
    child = started;
    try {
      await answersPing(started, port, () => output);
    } catch (err) {
      await killChild(started);
      throw err;
    }
    reapAfterExit(started.pid!, { signal: 'SIGKILL', dir: directory });
  };
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch(args);
      break;
    } catch (err) {
      if (attempt < 3 && /in use|bind/i.test(output)) continue;
      rmSync(directory, { recursive: true, force: true });
      throw err;
    }
  }
  const kill = async () => {
    if (!child) return;
    const running = child;
    child = undefined;
    await killChild(running);
    stopReaping(running.pid!);
  };
  let stopped = false;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    directory,
    command: (...command) => sendCommand(port, command),
    pause: () => child?.pid && trySignal(child.pid, 'SIGSTOP'),
    resume: () => child?.pid && trySignal(child.pid, 'SIGCONT'),
    kill,
    restart: async (options = {}) => {
      await kill();
      if (!options.keepData) rmSync(join(directory, 'dump.rdb'), { force: true });
      await launch([...args, ...(options.args ?? [])]);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** One command in RESP; resolves with the first line of the reply, rejects on a socket error. */
function sendCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`redis on ${port} did not answer ${args[0]}`)));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk;
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      socket.destroy();
      resolve(reply.slice(0, end));
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** Resolves once PING answers PONG (not LOADING); rejects if the child exits first or 10 s pass. */
async function answersPing(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  const failed = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`cannot run ${REDIS_SERVER_BIN}: ${err.message}`))));
  failed.catch(() => undefined);
  for (;;) {
    if (exited) throw new Error(`redis-server exited before answering on ${port}:\n${log()}`);
    const reply = await Promise.race([sendCommand(port, ['PING']).catch(() => ''), failed]);
    if (reply === '+PONG') return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port} within 10 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  trySignal(child.pid, 'SIGCONT');
  child.kill('SIGKILL');
  await exited;
  await waitForExit(child.pid, 1000);
}

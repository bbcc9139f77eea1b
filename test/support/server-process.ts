import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'tilegate', 'apps', 'tilegate', 'src', 'main.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything written so far to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The built server (`npm run build`) in a process of its own, as users run it, configured only
 * by `env` (TS_* variables). Resolves once `readyPath` answers at all.
 */
export async function startServerProcess(env: Record<string, string>, readyPath = '/health', args: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', TS_HTTPHOST: '127.0.0.1', TS_HTTPPORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tilegate exited with ${child.exitCode}: ${output}`);
    if (await fetch(`${url}${readyPath}`).then(() => true, () => false)) break;
    if (Date.now() > until) throw new Error(`tilegate did not answer within 20 s: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

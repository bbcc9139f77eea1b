import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, parseCommandLine, TilegateConfig, usage } from '@app/config';
import { createApp } from './bootstrap/create-app';
import { ShutdownGate, stopOnSignals } from './bootstrap/shutdown-gate';
import { AppServers } from './bootstrap/servers';

/** tilegate's version, from the package.json above this file (in the sources or in dist/). */
function version(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** The command line as pg_tileserv takes it: --help, --version, --config, --debug, --no-preview, --health. */
async function main(): Promise<void> {
  const commandLine = parseCommandLine(process.argv.slice(2));
  if (commandLine.errors.length > 0) {
    process.stderr.write(`tilegate: ${commandLine.errors.join('; ')}\n${usage()}`);
    process.exit(2);
  }
  if (commandLine.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  if (commandLine.version) {
    process.stdout.write(`tilegate ${version()}\n`);
    process.exit(0);
  }
  let config: TilegateConfig;
  try {
    config = loadConfig();
    const shutdown = new ShutdownGate();
    const servers = new AppServers(config);
    // The process is the server's alone: the tile cache may keep it within TileCacheSize + 150 MB.
    const app = await createApp({ ...config, tileCache: { ...config.tileCache, guardProcessMemory: true } }, { shutdown, servers });
    const logger = new Logger('tilegate');
    for (const warning of config.warnings) logger.warn(warning);
    stopOnSignals({ close: () => Promise.all([app.close(), servers.closePlain()]).then(() => undefined) }, shutdown, config.shutdownTimeoutSeconds);
    await app.listen({ port: config.tls ? config.httpsPort : config.httpPort, host: config.httpHost });
    await servers.listenPlain();
    const host = config.httpHost === '0.0.0.0' ? 'localhost' : config.httpHost;
    const path = config.basePath === '/' ? '' : config.basePath;
    const bases = [`http://${host}:${config.httpPort}${path}`, ...(config.tls ? [`https://${host}:${config.httpsPort}${path}`] : [])];
    logger.log(`serving ${bases.map((b) => `${b}/index.json`).join(' and ')}, docs at ${bases[0]}/docs; role switching ${config.jwt ? 'on' : 'off (no JwtSecret)'}`);
  } catch (err) {
    // Bad configuration names its key; other start-up failures say what failed, without a stack.
    const message = err instanceof ConfigError ? `configuration error: ${err.message}` : `cannot start: ${(err as Error).message}`;
    process.stderr.write(`tilegate: ${message}\n`);
    process.exit(2);
  }
}

void main();

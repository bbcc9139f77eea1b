import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, TilegateConfig } from '@app/config';
import { createApp } from './bootstrap/create-app';
import { ShutdownGate, stopOnSignals } from './bootstrap/shutdown-gate';

async function main(): Promise<void> {
  let config: TilegateConfig;
  try {
    config = loadConfig();
    const shutdown = new ShutdownGate();
    const app = await createApp(config, { shutdown });
    stopOnSignals(app, shutdown, config.shutdownTimeoutSeconds);
    const port = config.tls ? config.httpsPort : config.httpPort;
    await app.listen({ port, host: config.httpHost });
    const base = `${config.tls ? 'https' : 'http'}://${config.httpHost === '0.0.0.0' ? 'localhost' : config.httpHost}:${port}${config.basePath === '/' ? '' : config.basePath}`;
    new Logger('tilegate').log(`serving ${base}/index.json, docs at ${base}/docs; role switching ${config.jwt ? 'on' : 'off (no JwtSecret)'}`);
  } catch (err) {
    // Bad configuration names its key; other start-up failures say what failed, without a stack.
    const message = err instanceof ConfigError ? `configuration error: ${err.message}` : `cannot start: ${(err as Error).message}`;
    process.stderr.write(`tilegate: ${message}\n`);
    process.exit(2);
  }
}

void main();

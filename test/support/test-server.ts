import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigKey, ConfigValue, loadConfig } from '../../libs/config/src';
import { createApp } from '../../apps/tilegate/src/bootstrap/create-app';

export interface TestServer {
  url: string;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** The real application on a free port, configured only by `settings` (no file, no environment). */
export async function startServer(settings: Partial<Record<ConfigKey, ConfigValue>>): Promise<TestServer> {
  const config = loadConfig({ argv: [], env: {}, noFile: true, overrides: { HttpHost: '127.0.0.1', ...settings } });
  const app = await createApp(config, { logLevels: ['error'] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

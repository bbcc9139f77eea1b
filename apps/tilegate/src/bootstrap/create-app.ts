import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import type { TilegateConfig } from '@app/config';
import { abandonSignalOf, setAbandonSignal } from '@app/database';
import { AppModule } from '../app.module';
import { replyWithError, TilegateExceptionFilter } from '../errors/tilegate-exception.filter';
import { accessLoggedFrameworkErrors, attachAccessLog, NestPinoLogger, requestIdOptions } from '../logging';
import { appLogger } from './app-logger';
import { cleanPathRedirects } from '../http/clean-path-redirect';
import { httpServerOptions } from './http-options';
import { ShutdownGate } from './shutdown-gate';
import { AppServers } from './servers';
import { setupOpenApi } from './openapi';
import { HttpMetrics } from '../metrics/http-metrics';
import { DOCS_CONTENT_SECURITY_POLICY } from '../preview/preview-pages';

/**
 * The application, ready to listen: used by main.ts, the e2e tests and the benchmark alike, so
 * they all run the same server. Start-up failures (bad configuration, unreachable database,
 * a privileged login role) reject here.
 */
export async function createApp(
  config: TilegateConfig,
  options: { logLevels?: LogLevel[]; shutdown?: ShutdownGate; servers?: AppServers } = {},
): Promise<NestFastifyApplication> {
  const pino = appLogger(config, options.logLevels);
  const servers = options.servers ?? new AppServers(config);
  const adapter = new FastifyAdapter({ ...httpServerOptions(config, accessLoggedFrameworkErrors(replyWithError, pino), servers), ...requestIdOptions() });
  const logLevels: LogLevel[] = options.logLevels ?? (config.debug ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log']);
  const logger = new NestPinoLogger(pino);
  logger.setLogLevels(logLevels);
  // bodyParser: false: Nest would add a parser for HTML form bodies, which any web site can POST
  // to /auth/{function} without a CORS preflight (and then read the token, CORS being open).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger, abortOnError: false, bodyParser: false });
  attachAccessLog(app.getHttpAdapter().getInstance(), pino);
  // Bodies are JSON only (sign-in), which a browser sends cross-site only after a preflight: any
  // other type is a 415, not a string handed to a function.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  if (config.basePath !== '/') app.setGlobalPrefix(config.basePath);
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposedHeaders: ['ETag', 'WWW-Authenticate', 'Retry-After', 'Tilegate-Role', 'X-Request-Id'],
  });
  // The signal that the client went away, for the request's RoleTransaction (its running
  // statement is then cancelled).
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    setAbandonSignal(request, abandonSignalOf(reply.raw));
    done();
  });
  options.shutdown?.attach(app.getHttpAdapter().getInstance());
  cleanPathRedirects(app.getHttpAdapter().getInstance(), config.basePath);
  app.useGlobalFilters(new TilegateExceptionFilter());
  if (config.enableMetrics) app.get(HttpMetrics).attach(app.getHttpAdapter().getInstance());
  await setupOpenApi(app, config);
  protectDocs(app, config);
  await app.init();
  return app;
}

/** Swagger UI's pages get the same protections as tilegate's own: a CSP that forbids framing, and nosniff. */
function protectDocs(app: NestFastifyApplication, config: TilegateConfig): void {
  const prefix = `${config.basePath === '/' ? '' : config.basePath}/docs`;
  app.getHttpAdapter().getInstance().addHook('onSend', (request, reply, payload, done) => {
    const path = request.url.split('?')[0];
    if (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`)) {
      reply.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
      reply.header('X-Content-Type-Options', 'nosniff');
    }
    done(null, payload);
  });
}

import type { LogLevel } from '@nestjs/common';
import type pino from 'pino';
import type { TilegateConfig } from '@app/config';
import { createLogger, LogLevelName, resolveLogFormat } from '../logging';

/**
 * The process's logger, from the configuration: LogFormat, Debug (debug level), and the secrets
 * no line may show whatever writes it (the DbConnection password, JwtSecret). `nestLevels`
 * (tests pass ['error']) also quiets the access log to the same level.
 */
export function appLogger(config: TilegateConfig, nestLevels?: LogLevel[]): pino.Logger {
  return createLogger({
    format: resolveLogFormat(config.logFormat, Boolean(process.stdout.isTTY)),
    level: levelFor(config, nestLevels),
    secrets: configSecrets(config),
  });
}

function levelFor(config: TilegateConfig, nestLevels: LogLevel[] | undefined): LogLevelName {
  if (!nestLevels) return config.debug ? 'debug' : 'info';
  for (const [nest, level] of [['debug', 'debug'], ['log', 'info'], ['warn', 'warn']] as const) if (nestLevels.includes(nest)) return level;
  return 'error';
}

/** The literal values to mask: the connection password (URL or libpq form), the JWT secret, RedisSecret and Redis' password. */
export function configSecrets(config: TilegateConfig): string[] {
  const secrets: string[] = [];
  const connection = config.dbConnection.trim();
  try {
    const password = new URL(connection).password;
    if (password) secrets.push(decodeURIComponent(password), password);
  } catch {
    const match = /(?:^|\s)password\s*=\s*('((?:[^'\\]|\\.)*)'|\S+)/.exec(connection);
    if (match) secrets.push(match[2] ?? match[1]);
  }
  if (config.jwt?.keys?.kind === 'secret') secrets.push(config.jwt.keys.secret.toString('utf8'));
  const { redisUrl, redisSecret } = config.tileCache;
  if (redisSecret) secrets.push(redisSecret);
  const redis = redisUrl ? new URL(redisUrl) : undefined;
  if (redis?.password) secrets.push(decodeURIComponent(redis.password), redis.password);
  // ioredis also takes the password as a query parameter.
  const queryPassword = redis?.searchParams.get('password');
  if (queryPassword) secrets.push(queryPassword);
  return secrets;
}

import type { LoggerService, LogLevel } from '@nestjs/common';
import type pino from 'pino';
import { readNestLogCall } from './nest-log-arguments';

const PINO_LEVEL: Record<LogLevel, pino.Level> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};
const MOST_VERBOSE_FIRST: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * Nest's logger interface on top of the process's pino logger: every `new Logger('Catalog')` line
 * becomes a JSON line with `context: "Catalog"`. `setLogLevels` (Nest's list of enabled levels)
 * governs only Nest's lines; the access log keeps the level the pino logger was created with.
 *
 * Nest logs a start-up failure with its stack under the `ExceptionHandler` context before
 * rethrowing it; main.ts reports the same failure once, as a plain sentence, so that line is dropped.
 */
export class NestPinoLogger implements LoggerService {
  private readonly pino: pino.Logger;
  private enabled = new Set<LogLevel>(MOST_VERBOSE_FIRST);

  constructor(logger: pino.Logger) {
    this.pino = logger.child({});
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
    const mostVerbose = MOST_VERBOSE_FIRST.find((level) => this.enabled.has(level));
    this.pino.level = mostVerbose ? PINO_LEVEL[mostVerbose] : 'silent';
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.enabled.has(level)) return;
    const { msg, ...fields } = readNestLogCall(message, params, level === 'error' || level === 'fatal');
    if (level === 'error' && fields.context === 'ExceptionHandler') return;
    this.pino[PINO_LEVEL[level]](fields, msg);
  }
}

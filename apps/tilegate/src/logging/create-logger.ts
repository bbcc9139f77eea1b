import pino from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogFormat } from './log-format';
import { lineRedactor } from './redact-line';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export interface CreateLoggerOptions {
  format: LogFormat;
  level: LogLevelName;
  /** Where lines go; standard output when absent. */
  destination?: NodeJS.WritableStream | pino.DestinationStream;
  /** Values masked wherever they appear, whatever the patterns catch: the DbConnection password, JwtSecret. */
  secrets?: readonly string[];
  /** Colours in the text format; by default only when writing to a terminal. */
  colorize?: boolean;
}

/**
 * The process's one logger. JSON: one object per line, `level` as a label, `time` in ISO 8601,
 * `context` when the writer names one, then the writer's fields and `msg`. No `pid` or `hostname`:
 * in a container the pid is always 1 and the collector already labels the host (pod, container),
 * so they would only add bytes to every access line.
 *
 * Text: the same lines rendered by pino-pretty in this thread and synchronously, so a crash or
 * process.exit loses nothing and tests read what was written. Both formats write synchronously
 * (one write per line): no buffer to lose at exit, and lines keep their order with main.ts's
 * own stderr message.
 *
 * Every line, whoever writes it, passes through the redaction before reaching the destination.
 */
export function createLogger(options: CreateLoggerOptions): pino.Logger {
  return pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: lineRedactor(options.secrets) },
    },
    options.format === 'json' ? (options.destination ?? pino.destination({ dest: 1, sync: true })) : prettyStream(options),
  );
}

function prettyStream(options: CreateLoggerOptions): pino.DestinationStream {
  return pinoPretty({
    sync: true,
    destination: options.destination ?? 1,
    colorize: options.colorize ?? (options.destination === undefined && process.stdout.isTTY === true),
    translateTime: 'SYS:HH:MM:ss.l',
    // The context leads the message, the other fields follow it as compact JSON, a stack comes last on its own lines.
    hideObject: true,
    messageFormat: (log, messageKey) => {
      const { level: _level, time: _time, context, stack, [messageKey]: message, ...fields } = log;
      const prefix = typeof context === 'string' ? `[${context}] ` : '';
      const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      return `${prefix}${String(message ?? '')}${rest}${typeof stack === 'string' ? `\n${stack}` : ''}`;
    },
  });
}

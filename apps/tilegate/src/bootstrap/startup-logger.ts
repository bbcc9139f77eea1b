import { ConsoleLogger } from '@nestjs/common';

/**
 * Nest logs a start-up failure with its stack under the `ExceptionHandler` context before
 * rethrowing it; main.ts reports the same failure once, as a plain sentence naming the key.
 * Everything else is logged as usual.
 */
export class StartupLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...(rest as [string?, string?]));
  }
}

import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ServiceUnavailableError } from '@app/errors';
import { replyWithError } from '../errors/tilegate-exception.filter';

/**
 * Graceful shutdown: once it begins, new requests get the contract's 503 (with Retry-After, and
 * `Connection: close` so keep-alive clients reconnect elsewhere) while requests in flight finish.
 * The listener stays open until they have: a client sees a clear 503, not a refused connection.
 */
export class ShutdownGate {
  private closing = false;
  private inFlight = 0;
  private onDrained: (() => void) | undefined;

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.closing) {
        reply.header('Connection', 'close');
        return replyWithError(new ServiceUnavailableError('the server is shutting down; try again', 1), request, reply);
      }
      this.inFlight++;
      // 'close' fires once per response, finished or abandoned.
      reply.raw.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.onDrained?.();
      });
      done();
    });
  }

  /** Refuses new requests from now on; resolves once those in flight have been answered. */
  begin(): Promise<void> {
    this.closing = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.onDrained = resolve));
  }
}

/**
 * SIGTERM or SIGINT: refuse new requests, let those in flight finish, close the listener and the
 * pool, exit 0; if that takes longer than ShutdownTimeout, exit 1 anyway (an orchestrator would
 * kill us soon).
 */
export function stopOnSignals(app: { close(): Promise<void> }, gate: ShutdownGate, timeoutSeconds: number): void {
  const logger = new Logger('tilegate');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the requests in flight (at most ${timeoutSeconds} s), then stopping`);
    setTimeout(() => {
      logger.warn(`requests still running after ShutdownTimeout (${timeoutSeconds} s); stopping anyway`);
      process.exit(1);
    }, timeoutSeconds * 1000).unref();
    gate
      .begin()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (err: Error) => {
          logger.error(`shutdown failed: ${err.message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

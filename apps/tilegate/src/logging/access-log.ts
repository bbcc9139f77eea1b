import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pino from 'pino';
import { AccessLineWriter, AccessLogOptions, accessLineWriter, CLIENT_CLOSED_REQUEST, countBodyBytes } from './access-line';
import { REQUEST_ID_HEADER } from './request-id';

/** A handler for Fastify's `frameworkErrors` option, such as the exception filter's replyWithError. */
export type FrameworkErrorsHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

/**
 * One access line per request, when its answer has been sent, or when the client has gone before
 * that (status 499). Every response carries its request id in `X-Request-Id`, so a caller can
 * quote it. Fields: see index.ts.
 */
export function attachAccessLog(fastify: FastifyInstance, logger: pino.Logger, options: AccessLogOptions = {}): void {
  const write = accessLineWriter(logger, options);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    whenClientLeaves(request, reply, write);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload) && !reply.hasHeader('content-length')) countBodyBytes(request, reply);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    write(request, reply, reply.statusCode);
    done();
  });
}

/**
 * Fastify answers a bad URL (a broken percent-encoding, an overlong path part) through its
 * `frameworkErrors` option before any hook runs, so those requests would have no access line and
 * no X-Request-Id. Wrap the handler given to that option with this to log them like the rest.
 */
export function accessLoggedFrameworkErrors(handler: FrameworkErrorsHandler, logger: pino.Logger, options: AccessLogOptions = {}): FrameworkErrorsHandler {
  const write = accessLineWriter(logger, options);
  return (error, request, reply) => {
    const started = performance.now();
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.raw.once('finish', () => write(request, reply, reply.statusCode, performance.now() - started));
    whenClientLeaves(request, reply, write, started);
    handler(error, request, reply);
  };
}

function whenClientLeaves(request: FastifyRequest, reply: FastifyReply, write: AccessLineWriter, started?: number): void {
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) write(request, reply, CLIENT_CLOSED_REQUEST, started === undefined ? undefined : performance.now() - started);
  });
}

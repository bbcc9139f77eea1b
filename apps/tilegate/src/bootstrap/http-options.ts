import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import type { TilegateConfig } from '@app/config';
import { AppServers } from './servers';

/** Longest part of a URL path: layer lists in tile URLs are long (find-my-way's default, 100, is not enough). */
export const MAX_PATH_PART = 2000;
/** Largest request body: only sign-in takes one, a few credentials. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Fastify's options: limits, timeouts, and every refusal Fastify or Node makes before a route runs
 * (bad URL encoding, an overlong path part, headers too large, a request too slow) answered in the
 * contract's shape. Idle keep-alive sockets close after HttpIdleTimeout: Fastify's default keeps
 * them 72 s, and a few hundred idle map clients then hold as many sockets.
 */
export function httpServerOptions(config: TilegateConfig, frameworkErrors: FastifyServerOptions['frameworkErrors'], servers: AppServers): FastifyServerOptions {
  const serverFactory = servers.factory(answerClientError);
  return {
    routerOptions: { maxParamLength: MAX_PATH_PART },
    frameworkErrors,
    clientErrorHandler: answerClientError,
    keepAliveTimeout: config.httpIdleTimeoutSeconds * 1000,
    // A request must arrive whole within this long (slow-loris), and the connection's first bytes too.
    requestTimeout: 30_000,
    bodyLimit: MAX_BODY_BYTES,
    // Requests arriving during shutdown get the contract's 503 from ShutdownGate, not Fastify's own body.
    return503OnClosing: false,
    ...(serverFactory ? { serverFactory } : {}),
  };
}

/** Node's own refusals (headers over 16 KB, a request that never completes, garbage), as the contract's JSON. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request_header_fields_too_large', 'the request headers are too large (at most 16 KB)']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'bad_request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ code, message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${code.replace(/_/g, ' ')}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

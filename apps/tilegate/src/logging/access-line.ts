import type { FastifyReply, FastifyRequest } from 'fastify';
import type pino from 'pino';
import { roleOfRequest, subOfRequest } from './request-identity';

export interface AccessLogOptions {
  /** The role the request ran as; by default what the auth guard recorded. */
  roleOf?: (request: FastifyRequest) => string | undefined;
  /** The token's `sub`; by default from the verified claims the guard recorded. */
  subOf?: (request: FastifyRequest) => string | undefined;
}

/** nginx's status for a client that went away before the answer was sent (a map panned past its tiles). */
export const CLIENT_CLOSED_REQUEST = 499;

const LOGGED = Symbol('tilegate.accessLogged');
const COUNTED_BYTES = Symbol('tilegate.countedBytes');
/** What the access log keeps on a request: symbol keys, so nothing parsed from the request can set them. */
export type AccessMarks = { [LOGGED]?: true; [COUNTED_BYTES]?: number };

export type AccessLineWriter = (request: FastifyRequest, reply: FastifyReply, status: number, durationMs?: number) => void;

/**
 * Writes a request's access line, once however often it is called. Levels: 5xx `error`, but 503
 * `warn` (expected while the database is down or busy: DatabaseOutage says so once, and thousands of
 * error lines would hide real faults); everything else `info`, 4xx included, since a refused token
 * or an unknown layer is the caller's business, not an operator's fault.
 */
export function accessLineWriter(logger: pino.Logger, options: AccessLogOptions): AccessLineWriter {
  const log = logger.child({ context: 'Access' });
  const roleOf = options.roleOf ?? roleOfRequest;
  const subOf = options.subOf ?? subOfRequest;
  return (request, reply, status, durationMs = reply.elapsedTime) => {
    const marks = request as AccessMarks;
    if (marks[LOGGED]) return;
    marks[LOGGED] = true;
    const route = request.routeOptions.url ?? 'unmatched';
    const fields = {
      method: request.method,
      route,
      status,
      duration_ms: Math.round(durationMs * 10) / 10,
      bytes: status === CLIENT_CLOSED_REQUEST ? (marks[COUNTED_BYTES] ?? null) : bodyBytes(request, reply),
      role: roleOf(request) ?? null,
      sub: subOf(request) ?? null,
      request_id: String(request.id),
      remote_addr: request.ip,
    };
    const message = `${request.method} ${route} ${status}`;
    if (status >= 500 && status !== 503) log.error(fields, message);
    else if (status >= 500) log.warn(fields, message);
    else log.info(fields, message);
  };
}

/** Body bytes sent: none for HEAD, 1xx, 204 and 304; else what a stream wrote, or the Content-Length sent. */
function bodyBytes(request: FastifyRequest, reply: FastifyReply): number {
  const status = reply.statusCode;
  if (request.method === 'HEAD' || status < 200 || status === 204 || status === 304) return 0;
  const counted = (request as AccessMarks)[COUNTED_BYTES];
  if (counted !== undefined) return counted;
  const length = Number(reply.getHeader('content-length'));
  return Number.isFinite(length) ? length : 0;
}

/** Counts a streamed body's bytes as they are written (Fastify gives strings and buffers a Content-Length). */
export function countBodyBytes(request: FastifyRequest, reply: FastifyReply): void {
  const marks = request as AccessMarks;
  const raw = reply.raw;
  marks[COUNTED_BYTES] = 0;
  const count = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') marks[COUNTED_BYTES]! += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) marks[COUNTED_BYTES]! += chunk.byteLength;
  };
  const write = raw.write.bind(raw) as (...args: unknown[]) => boolean;
  const end = raw.end.bind(raw) as (...args: unknown[]) => typeof raw;
  raw.write = ((...args: unknown[]) => {
    count(args[0], args[1]);
    return write(...args);
  }) as typeof raw.write;
  raw.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') count(args[0], args[1]);
    return end(...args);
  }) as typeof raw.end;
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An id a caller may choose: 1 to 128 of `A-Z a-z 0-9 . _ : -`, nothing that could forge or break a log line. */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 128 && REQUEST_ID.test(value);
}

/**
 * Fastify server options for request ids: the caller's `X-Request-Id` when it is a valid one (a
 * proxy's or a client's id ties their logs to ours), a fresh UUID otherwise. Fastify 5 would take
 * the header as it came (`req.headers[requestIdHeader] || genReqId(req)`, no check), so its header
 * option is off and genReqId reads and checks the header itself. A repeated header arrives joined
 * with ", ", which is not valid, so it gets a fresh id too.
 */
export function requestIdOptions(): Pick<FastifyServerOptions, 'requestIdHeader' | 'genReqId'> {
  return {
    requestIdHeader: false,
    genReqId: (request: IncomingMessage): string => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return isValidRequestId(incoming) ? incoming : randomUUID();
    },
  };
}

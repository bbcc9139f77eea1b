import { HttpException } from '@nestjs/common';
import { translateDatabaseError } from '@app/database';
import { TilegateError } from '@app/errors';

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { code: string; message: string; details?: string; hint?: string };
  /** 5xx: log it; the body says only what is safe. */
  unexpected: boolean;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'request_header_fields_too_large',
};

/** Fastify's refusals before a route runs, in words that say what was wrong. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid (a bad percent-encoding or a NUL)',
  FST_ERR_MAX_PARAM_LENGTH: 'a part of the URL path is too long',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the request body has a content type this route does not take',
};

/**
 * Any thrown value as the contract's error response. Domain errors and known SQLSTATEs keep their
 * status and our message; framework 4xx keep their status with a generic message; everything else
 * is a 500 that carries the request id and nothing else.
 */
export function errorResponse(exception: unknown, requestId: string): ErrorResponse {
  const known = exception instanceof TilegateError ? exception : translateDatabaseError(exception);
  if (known) {
    return {
      status: known.status,
      headers: known.headers(),
      body: compact({ code: known.code, message: known.message, details: known.details, hint: known.hint }),
      // Our own errors are expected faults (a 503 in an outage, a 4xx): the access log has them, without a stack.
      unexpected: false,
    };
  }
  const status = exception instanceof HttpException ? exception.getStatus() : frameworkStatus(exception);
  if (status !== undefined && status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'bad_request';
    const message = FRAMEWORK_MESSAGES[(exception as { code?: string }).code ?? ''] ?? (status === 404 ? 'no such route' : code.replace(/_/g, ' '));
    return { status, headers: {}, body: { code, message }, unexpected: false };
  }
  return {
    status: 500,
    headers: {},
    body: { code: 'internal_error', message: 'internal error', details: `request id ${requestId}` },
    unexpected: true,
  };
}

/** Fastify's own errors (bad URL encoding, header too large...) carry a statusCode. */
function frameworkStatus(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function compact<T extends Record<string, unknown>>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as T;
}

import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from './error-response';

const logger = new Logger('HTTP');

/** The one place errors become HTTP responses (see errorResponse for the mapping). */
@Catch()
export class TilegateExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

/**
 * Sends the contract's error answer for any thrown value: from Nest (the filter above) and from
 * Fastify itself before a route runs (bad URL encoding, an overlong path part: its
 * `frameworkErrors` hook), so every error body has the same shape.
 */
export function replyWithError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const response = errorResponse(exception, String(request.id));
  if (response.unexpected) {
    // The URL without its query string: query values can carry secrets; headers (tokens) are never logged.
    const path = request.url.split('?')[0];
    const stack = exception instanceof Error ? exception.stack : undefined;
    logger.error(`${request.method} ${path} ${response.status} request id ${request.id}: ${describe(exception)}`, stack);
  }
  // An error is about this request and this caller: no cache may keep it, or give it to another caller.
  const headers = { 'Cache-Control': 'no-store', Vary: 'Authorization', ...response.headers, 'Content-Type': 'application/json; charset=utf-8' };
  void reply.status(response.status).headers(headers).send(JSON.stringify(response.body));
}

function describe(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}

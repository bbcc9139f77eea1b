/*
 * Logs (issue #11). One line per event on standard output; LogFormat "json" (one object per line)
 * or "text" (pino-pretty, for a terminal; "auto" picks text only when stdout is a terminal).
 *
 * Every line:
 *   level        "debug" | "info" | "warn" | "error" | "fatal" ("trace" for Nest's verbose)
 *   time         ISO 8601, UTC, milliseconds: "2025-06-01T12:00:00.123Z"
 *   context      what wrote it: "Access", "HTTP", "Database", "Catalog", "JWKS", "NestFactory", ...
 *   msg          the sentence
 *   stack        only on error lines that have a real stack trace
 *   No pid or hostname: the collector labels the container and host.
 *
 * Access lines (context "Access"), one per request, when the answer has been sent:
 *   method       "GET", "HEAD", ...
 *   route        the route template ("/:layers/:z/:x/:y.pbf"), "unmatched" when no route matched;
 *                never the URL or its query string
 *   status       the status sent; 499 when the client went away before the answer
 *   duration_ms  from the request's arrival to the last byte handed to the socket, 0.1 ms steps
 *   bytes        body bytes sent (0 for HEAD, 204, 304); null for a 499
 *   role         the database role the request ran as; null before the guard ran or without role switching
 *   sub          the verified token's sub claim; null for anonymous requests
 *   request_id   the caller's X-Request-Id if it is 1-128 of [A-Za-z0-9._:-], else a fresh UUID;
 *                always sent back in the X-Request-Id response header
 *   remote_addr  the client address (Fastify's request.ip, so behind a proxy only with trustProxy)
 *   Level: error for 5xx, warn for 503 (expected while the database is down or busy), info otherwise.
 *
 * Outage lines (context "Database", libs/database's DatabaseOutage), once when an outage starts and
 * once when it ends: "database unreachable: <reason>" (warn), "database reachable again after
 * 12.3 s (57 failures)" (info).
 *
 * Never in any line: tokens (anything JWT-shaped, Bearer values, Authorization and Cookie headers,
 * token= in query strings), passwords (in connection URLs, libpq password=..., JSON or inspected
 * objects, any field named like a secret), and the literal values given as `secrets`.
 * Each is replaced by "***".
 */
export { resolveLogFormat, type LogFormat, type LogFormatSetting } from './log-format';
export { createLogger, type CreateLoggerOptions, type LogLevelName } from './create-logger';
export { NestPinoLogger } from './nest-pino-logger';
export { attachAccessLog, accessLoggedFrameworkErrors, type FrameworkErrorsHandler } from './access-log';
export { type AccessLogOptions, CLIENT_CLOSED_REQUEST } from './access-line';
export { requestIdOptions, isValidRequestId, REQUEST_ID_HEADER } from './request-id';
export { roleOfRequest, subOfRequest } from './request-identity';
export { redactSecrets } from './redact';

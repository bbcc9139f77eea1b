import type { OpenAPIObject } from '@nestjs/swagger';
import type { FunctionArgument, SignInFunction } from '../../catalog/layer.types';
import { layerPath } from '../../http/public-url';

const INTEGER = new Set(['smallint', 'integer', 'bigint']);
const NUMBER = new Set(['numeric', 'real', 'double precision']);

/** A JSON schema for one argument, from its PostgreSQL type. */
function schemaOf(argument: FunctionArgument): Record<string, unknown> {
  const type = INTEGER.has(argument.type) ? 'integer' : NUMBER.has(argument.type) ? 'number' : argument.type === 'boolean' ? 'boolean' : 'string';
  const format = /password|secret/i.test(argument.name) ? { format: 'password' } : {};
  return { type, ...format, description: `PostgreSQL ${argument.type}` };
}

/**
 * One path per sign-in function found at start (`POST /auth/{schema}.{function}`), its body
 * schema made from the function's arguments, so Swagger UI offers a form: sign in there, then
 * Authorize with the token. Which of them a caller may use is still decided per request.
 */
export function addSignInPaths(document: OpenAPIObject, functions: SignInFunction[], prefix: string): void {
  for (const fn of functions) {
    document.paths[`${prefix}/auth/${layerPath(fn.id)}`] = {
      post: {
        tags: ['auth'],
        summary: `Sign in with ${fn.id}`,
        description: fn.description || `Calls ${fn.id} with the body's values; its row is signed as a token.`,
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: Object.fromEntries(fn.arguments.map((a) => [a.name, schemaOf(a)])),
                required: fn.arguments.filter((a) => a.default === null).map((a) => a.name),
              },
            },
          },
        },
        responses: {
          '200': { description: 'a token', content: { 'application/json': { schema: { type: 'object', properties: { token: { type: 'string' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' } } } } } },
          '401': { description: 'no such user, or a wrong password' },
          '429': { description: 'too many failed sign-ins (Retry-After)' },
        },
      },
    };
  }
}

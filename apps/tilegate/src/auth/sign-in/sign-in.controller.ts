import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { isAnonymous, RoleTransactions } from '@app/database';
import { RequestRoleGuard } from '../request-role.guard';
import { ErrorBody, RoleDependentRoute } from '../../http/api-docs.decorators';
import { layerPath, publicBaseUrl } from '../../http/public-url';
import { SignInService } from './sign-in.service';

const NO_STORE = { 'Cache-Control': 'no-store', Vary: 'Authorization' };

/** Sign-in functions (JwtTypeIdentifier), and who the request runs as. */
@ApiTags('auth')
@Controller('auth')
@UseGuards(RequestRoleGuard)
export class SignInController {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly signIn: SignInService,
    private readonly transactions: RoleTransactions,
  ) {}

  @Get('sign-in')
  @ApiOperation({ summary: 'The sign-in functions the request role may call', description: 'Functions returning the JwtTypeIdentifier type; POST a JSON object of their arguments to `url`.' })
  @ApiOkResponse({ schema: { example: { functions: [{ id: 'auth.authenticate', url: 'http://localhost:7800/auth/auth.authenticate', description: '', arguments: [{ name: 'email', type: 'text' }, { name: 'password', type: 'text' }] }] } } })
  @RoleDependentRoute()
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    reply.headers(NO_STORE);
    const base = publicBaseUrl(this.config, request);
    const functions = await this.signIn.usable(this.transactions.forRequest(request));
    return {
      functions: functions.map((f) => ({ id: f.id, url: `${base}/auth/${layerPath(f.id)}`, description: f.description, arguments: f.arguments.map((a) => ({ name: a.name, type: a.type })) })),
    };
  }

  @Get('whoami')
  @ApiOperation({ summary: 'The role and claims this request runs with, answered by the database', description: "`current_user` and `current_setting('request.jwt.claims')`, in the request's own transaction." })
  @ApiOkResponse({ schema: { example: { role: 'web_user', anonymous: false, claims: { role: 'web_user', sub: 'u1', exp: 1767225600 }, expires_at: '2026-01-01T00:00:00.000Z' } } })
  @RoleDependentRoute()
  async whoami(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const transaction = this.transactions.forRequest(request);
    const role = transaction.role;
    const [row] = await transaction.runStatement<{ role: string; claims: string | null }>(
      "SELECT pg_catalog.current_user()::pg_catalog.text AS role, pg_catalog.current_setting('request.jwt.claims', true) AS claims",
    );
    const exp = role?.kind === 'switch' ? role.claims?.values.exp : undefined;
    const expiresAt = typeof exp === 'number' ? JSON.stringify(new Date(exp * 1000).toISOString()) : 'null';
    // The claims as PostgreSQL has them, as text: JSON.parse would round a 64-bit id.
    const claims = row.claims && row.claims.trim() !== '' ? row.claims : '{}';
    const body = `{"role":${JSON.stringify(row.role)},"anonymous":${isAnonymous(role)},"claims":${claims},"expires_at":${expiresAt}}`;
    await reply.headers({ ...NO_STORE, 'Content-Type': 'application/json; charset=utf-8' }).send(body);
  }

  @Post(':function')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: call a sign-in function and get a token', description: "The body is a JSON object of the function's arguments. A row is signed as a token whose claims are the type's fields; NULL is a 401." })
  @ApiParam({ name: 'function', description: 'the sign-in function, `schema.name`', example: 'auth.authenticate' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: { email: 'ana@example.com', password: 'secret' } } })
  @ApiOkResponse({ schema: { example: { token: 'eyJ...', token_type: 'Bearer', expires_in: 3600 } } })
  @ApiResponse({ status: 401, description: 'no such user, or a wrong password (one answer for both)', type: ErrorBody })
  @ApiResponse({ status: 429, description: 'too many failed sign-ins (Retry-After)', type: ErrorBody })
  @RoleDependentRoute({ status: 404, description: 'no such sign-in function, or not one the role may call' }, { status: 400, description: 'a body that does not fit the arguments' })
  async call(@Param('function') id: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const issued = await this.signIn.signIn(this.transactions.forRequest(request), id, body, request.socket.remoteAddress ?? 'unknown');
    reply.headers(NO_STORE);
    return { token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}

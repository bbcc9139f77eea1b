import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { RouteNotFoundError } from '@app/errors';

/** `/.well-known/jwks.json`: JwtSigningKey's public half, so others can verify tilegate's tokens. */
@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'The public key tokens are signed with (JwtSigningKey)', description: 'A 404 without JwtSigningKey (tokens signed with a shared secret have no public half).' })
  @ApiOkResponse({ schema: { example: { keys: [{ kty: 'EC', crv: 'P-256', x: '...', y: '...', kid: '...', alg: 'ES256', use: 'sig' }] } } })
  jwks(): { keys: Array<Record<string, unknown>> } {
    const key = this.config.jwt?.issuedKey;
    if (!key) throw new RouteNotFoundError();
    return { keys: [key.publicJwk] };
  }
}

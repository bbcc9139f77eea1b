import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** The contract's error body, for the OpenAPI document. */
export class ErrorBody {
  @ApiProperty({ example: 'layer_not_found' }) code: string;
  @ApiProperty({ example: 'layer not found: public.nothing' }) message: string;
  @ApiPropertyOptional() details?: string;
  @ApiPropertyOptional() hint?: string;
}

/** Bearer auth and the error statuses every role-dependent route can answer with. */
export function RoleDependentRoute(...extraStatuses: Array<{ status: number; description: string }>): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiResponse({ status: 401, description: 'missing-but-malformed, badly signed, expired or otherwise invalid token (WWW-Authenticate: Bearer error="invalid_token")', type: ErrorBody }),
    ApiResponse({ status: 403, description: 'the token names a role the server may not switch to', type: ErrorBody }),
    ApiResponse({ status: 503, description: 'database busy, unreachable or too slow (Retry-After)', type: ErrorBody }),
    ...extraStatuses.map((s) => ApiResponse({ ...s, type: ErrorBody })),
  );
}

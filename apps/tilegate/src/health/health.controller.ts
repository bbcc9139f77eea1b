import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DatabaseHealth } from '@app/database';
import { ErrorBody } from '../http/api-docs.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: a database connection can be had and answers' })
  @ApiOkResponse({ schema: { example: { status: 'ready' } } })
  @ApiResponse({ status: 503, description: 'database unreachable or pool exhausted', type: ErrorBody })
  async ready(): Promise<{ status: string }> {
    await this.database.ping();
    return { status: 'ready' };
  }
}

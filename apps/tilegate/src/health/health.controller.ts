import { Controller, Get, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DatabaseHealth } from '@app/database';
import { ErrorBody } from '../http/api-docs.decorators';

/** Liveness and readiness; mounted at HealthEndpoint (see healthControllerAt). */
export class HealthRoutes {
  constructor(private readonly database: DatabaseHealth) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers (HealthEndpoint, /health by default)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: a database connection can be had and answers' })
  @ApiOkResponse({ schema: { example: { status: 'ready' } } })
  @ApiResponse({ status: 503, description: 'database unreachable, pool exhausted, or shutting down', type: ErrorBody })
  async ready(): Promise<{ status: string }> {
    await this.database.ping();
    return { status: 'ready' };
  }
}

/**
 * The health routes at `path` (pg_tileserv's HealthEndpoint, `--health`), a class of its own per
 * application, so two applications in one process (tests) can mount them at different paths.
 */
export function healthControllerAt(path: string): Type<HealthRoutes> {
  @ApiTags('health')
  @Controller(path.replace(/^\/+/, ''))
  class HealthController extends HealthRoutes {
    constructor(database: DatabaseHealth) {
      super(database);
    }
  }
  return HealthController;
}

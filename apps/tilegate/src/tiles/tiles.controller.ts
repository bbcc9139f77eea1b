import { Controller, Get, Inject, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { RoleTransactions } from '@app/database';
import { RequestRoleGuard } from '../auth/request-role.guard';
import { RoleDependentRoute } from '../http/api-docs.decorators';
import { roleCacheHeaders } from '../http/cache-headers';
import { parseTileCoordinates } from './tile-coordinates';
import { TilesService } from './tiles.service';
import { MVT_CONTENT_TYPE, tileResponse } from './tile-response';
import { RawQuery } from './query-values';
import { CACHE_SOURCE_HEADER } from '../cache/cache-headers';

/** The route's path parameters, as Fastify's router gives them (strings). */
interface TileRouteParams {
  layer: string;
  z: string;
  x: string;
  tile: string;
}

/** `/{layer}/{z}/{x}/{y}.pbf` (and `.mvt`): thin HTTP over TilesService. */
@ApiTags('tiles')
@Controller()
@UseGuards(RequestRoleGuard)
export class TilesController {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly tiles: TilesService,
    private readonly transactions: RoleTransactions,
  ) {}

  @Get(':layer/:z/:x/:tile')
  @ApiOperation({
    summary: 'A vector tile',
    description:
      'Mapbox Vector Tile for a layer, made by PostGIS as the request role. `{layer}` may be a comma list of table layers (one MVT layer each). ' +
      'Table layers take `limit`, `resolution`, `buffer`, `properties` and `filter` (CQL2 text); function layers take their own named arguments instead. ' +
      'An empty tile is a 200 with an empty body. Responses carry a strong ETag (304 on If-None-Match) and are gzipped when the client accepts it. ' +
      '`Tilegate-Cache` says where the tile came from: `miss` (rendered and cached), `hit` (memory), `hit-shared` (Redis), `off` (not cacheable).',
  })
  @ApiParam({ name: 'layer', description: 'layer id, or a comma list of table layer ids', example: 'public.countries' })
  @ApiParam({ name: 'z', description: 'zoom, 0 to 30', schema: { type: 'integer', minimum: 0, maximum: 30, example: 2 } })
  @ApiParam({ name: 'x', description: 'column, 0 to 2^z-1', schema: { type: 'integer', minimum: 0, example: 2 } })
  @ApiParam({ name: 'tile', description: '`{y}.pbf` or `{y}.mvt`, y from 0 to 2^z-1', example: '1.pbf' })
  @ApiQuery({ name: 'limit', required: false, description: 'most features per layer (default and maximum: MaxFeaturesPerTile)', schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'resolution', required: false, description: 'MVT extent (default DefaultResolution)', schema: { type: 'integer', minimum: 16, maximum: 65536 } })
  @ApiQuery({ name: 'buffer', required: false, description: 'buffer in tile units (default DefaultBuffer; at most resolution)', schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'properties', required: false, description: 'comma list of properties to include (empty: none; absent: all)', schema: { type: 'string' } })
  @ApiQuery({
    name: 'filter',
    required: false,
    description: "CQL2 text (or pg_tileserv's CQL): only features that match, e.g. `kind = 'city' AND pop > 100000`, `S_INTERSECTS(geom, BBOX(-10, 40, 10, 60))`",
    schema: { type: 'string', maxLength: 8192 },
  })
  @ApiQuery({ name: 'filter-crs', required: false, description: 'CRS of the filter\'s geometry literals: an EPSG code (`3857`, `EPSG:3857`) or CRS URI; default 4326', schema: { type: 'string' } })
  @ApiQuery({ name: 'filter-lang', required: false, description: 'only `cql2-text`', schema: { type: 'string', enum: ['cql2-text'] } })
  @ApiProduces(MVT_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: 'the tile', content: { [MVT_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 304, description: 'unchanged since the ETag in If-None-Match' })
  @RoleDependentRoute({ status: 400, description: 'bad z/x/y or bad parameter' }, { status: 404, description: 'no such layer, or not visible to the role' })
  async tile(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Read from the request rather than with @Param/@Query: Nest resolves each decorated
    // argument through its own async pipe step, five promises a tile on the busiest route.
    const { layer, z, x, tile: file } = request.params as TileRouteParams;
    const coordinates = parseTileCoordinates(z, x, file);
    const transaction = this.transactions.forRequest(request);
    const { bytes, source } = await this.tiles.tile(transaction, layer, coordinates, request.query as RawQuery);
    const response = await tileResponse(
      bytes,
      { ifNoneMatch: request.headers['if-none-match'], acceptEncoding: request.headers['accept-encoding'] },
      { ...roleCacheHeaders(transaction.role, this.config.cacheTtlSeconds), [CACHE_SOURCE_HEADER]: source },
    );
    await reply.status(response.status).headers(response.headers).send(response.body);
  }
}

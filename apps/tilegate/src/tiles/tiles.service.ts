import { Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { RoleTransaction, SqlRunner } from '@app/database';
import { InvalidParameterError, LayerNotFoundError, StaleCatalogError } from '@app/errors';
import { Layer, TableLayer } from '../catalog/layer.types';
import { LayerRegistry } from '../catalog/layer-registry';
import { TileCoordinates } from './tile-coordinates';
import { parseTableTileParams } from './table-tile-params';
import { parseFunctionArgs } from './function-tile-args';
import { tableTileQuery, TileQuery } from './table-tile.sql';
import { functionTileQuery } from './function-tile.sql';
import { RawQuery } from './query-values';

/**
 * Makes a tile as the request's role. The layer's metadata comes from the shared registry (no
 * query when known); whether the role may read it is the database's answer to the tile statement
 * itself (permission denied is a 404). If the statement finds the metadata stale (a column or
 * table gone), the registry reloads and the tile is tried once more.
 */
@Injectable()
export class TilesService {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly transaction: RoleTransaction,
    private readonly registry: LayerRegistry,
  ) {}

  async tile(layerList: string, tile: TileCoordinates, query: RawQuery): Promise<Buffer> {
    try {
      return await this.attempt(layerList, tile, query);
    } catch (err) {
      if (!(err instanceof StaleCatalogError)) throw err;
      this.registry.invalidate();
      return this.attempt(layerList, tile, query);
    }
  }

  private attempt(layerList: string, tile: TileCoordinates, query: RawQuery): Promise<Buffer> {
    return this.transaction.run(async (sql) => {
      const layers = await this.resolve(sql, layerList);
      const statement = this.statementFor(layers, tile, query);
      const [row] = await sql.query<{ mvt: Buffer | null }>(statement.text, statement.values);
      return row?.mvt ?? Buffer.alloc(0);
    });
  }

  /** `a` or `a,b,c`; several layers must all be tables (functions make their own whole tile). */
  private async resolve(sql: SqlRunner, layerList: string): Promise<Layer[]> {
    const ids = layerList.split(',');
    const layers: Layer[] = [];
    for (const id of ids) {
      const layer = await this.registry.find(sql, id);
      if (!layer) throw new LayerNotFoundError(id);
      layers.push(layer);
    }
    if (layers.length > 1 && layers.some((l) => l.kind === 'function')) {
      throw new InvalidParameterError('layer', 'only table layers can be combined in one tile');
    }
    return layers;
  }

  private statementFor(layers: Layer[], tile: TileCoordinates, query: RawQuery): TileQuery {
    const [first] = layers;
    if (first.kind === 'function') return functionTileQuery(first, tile, parseFunctionArgs(query, first));
    const tables = layers as TableLayer[];
    return tableTileQuery(tables, tile, parseTableTileParams(query, tables, this.config));
  }
}

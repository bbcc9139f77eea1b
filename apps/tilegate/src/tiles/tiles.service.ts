import { Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { RoleTransaction } from '@app/database';
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
 * query when known), the request's parameters are checked against it before any connection is
 * taken, and the tile statement goes to PostgreSQL with its role switch in one round trip. Whether
 * the role may read the layer is the database's answer to that statement (permission denied is a
 * 404). If the statement finds the metadata stale (a column or table gone), the registry reloads
 * and the tile is tried once more.
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

  private async attempt(layerList: string, tile: TileCoordinates, query: RawQuery): Promise<Buffer> {
    const layers = await this.resolve(layerList);
    const statement = this.statementFor(layers, tile, query);
    const [row] = await this.transaction.runStatement<{ mvt: Buffer | null }>(statement.text);
    return row?.mvt ?? Buffer.alloc(0);
  }

  /**
   * `a` or `a,b,c`; several layers must all be tables (functions make their own whole tile).
   * Known layers cost nothing; a name the registry does not know means checking the catalog for
   * changes first, in a transaction of its own.
   */
  private async resolve(layerList: string): Promise<Layer[]> {
    const ids = layerList.split(',');
    let layers = ids.map((id) => this.registry.known(id));
    if (layers.some((layer) => layer === undefined)) {
      layers = await this.transaction.run(async (sql) => {
        const found: Array<Layer | undefined> = [];
        for (const id of ids) found.push(await this.registry.find(sql, id));
        return found;
      });
    }
    const missing = ids.find((_, i) => layers[i] === undefined);
    if (missing !== undefined) throw new LayerNotFoundError(missing);
    const resolved = layers as Layer[];
    if (resolved.length > 1 && resolved.some((l) => l.kind === 'function')) {
      throw new InvalidParameterError('layer', 'only table layers can be combined in one tile');
    }
    return resolved;
  }

  private statementFor(layers: Layer[], tile: TileCoordinates, query: RawQuery): TileQuery {
    const [first] = layers;
    if (first.kind === 'function') return functionTileQuery(first, tile, parseFunctionArgs(query, first));
    const tables = layers as TableLayer[];
    return tableTileQuery(tables, tile, parseTableTileParams(query, tables, this.config));
  }
}

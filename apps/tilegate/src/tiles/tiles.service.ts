import { Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { RoleTransaction } from '@app/database';
import { InvalidParameterError, LayerNotFoundError, StaleCatalogError, TilegateError } from '@app/errors';
import { Layer, TableLayer } from '../catalog/layer.types';
import { LayerRegistry } from '../catalog/layer-registry';
import { CatalogService } from '../catalog/catalog.service';
import { TileCoordinates } from './tile-coordinates';
import { parseTableTileParams } from './table-tile-params';
import { parseFunctionArgs } from './function-tile-args';
import { tableTileQuery, TileQuery } from './table-tile.sql';
import { functionTileQuery } from './function-tile.sql';
import { RawQuery } from './query-values';
import { layerIdsOf } from './layer-list';

/**
 * Makes a tile as the request's role. The layer's metadata comes from the shared registry (no
 * query when known), the request's parameters are checked against it before any connection is
 * taken, and the tile statement goes to PostgreSQL with its role switch in one round trip. Whether
 * the role may read the layer is the database's answer to that statement (permission denied is a
 * 404). Nothing about a layer is said before the role is known to see it: a request about a layer
 * that fails for any other reason (a bad parameter, a property it lacks) asks the database whether
 * the role may use the layer, and answers exactly as for an unknown name if not.
 */
@Injectable()
export class TilesService {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly transaction: RoleTransaction,
    private readonly registry: LayerRegistry,
    private readonly catalog: CatalogService,
  ) {}

  async tile(layerList: string, tile: TileCoordinates, query: RawQuery): Promise<Buffer> {
    const ids = layerIdsOf(layerList);
    let layers = await this.resolve(ids, layerList);
    try {
      return await this.attempt(layers, layerList, tile, query);
    } catch (err) {
      if (!(err instanceof StaleCatalogError)) throw err;
      // A missing column or table: retry on fresh metadata only if the layer itself changed, so an
      // error a function raises by itself (or a value provokes) never makes the catalog reload.
      if (!(await this.registry.changed(layers))) throw await this.unlessHidden(staleWithoutChange(layers), layers, layerList);
      this.registry.invalidate();
      layers = await this.resolve(ids, layerList);
      return this.attempt(layers, layerList, tile, query);
    }
  }

  private async attempt(layers: Layer[], requested: string, tile: TileCoordinates, query: RawQuery): Promise<Buffer> {
    let statement: TileQuery;
    try {
      statement = this.statementFor(layers, tile, query);
    } catch (err) {
      throw await this.unlessHidden(err, layers, requested);
    }
    try {
      const [row] = await this.transaction.runStatement<{ mvt: Buffer | null }>(statement.text);
      return row?.mvt ?? Buffer.alloc(0);
    } catch (err) {
      // Permission denied: the same answer, word for word, as for a name that does not exist.
      if (err instanceof LayerNotFoundError) throw new LayerNotFoundError(requested);
      throw await this.unlessHidden(err, layers, requested);
    }
  }

  /** A 400 about layers the role cannot see would tell they exist: then it is their 404 instead. */
  private async unlessHidden(err: unknown, layers: Layer[], requested: string): Promise<unknown> {
    if (!(err instanceof TilegateError) || err.status !== 400) return err;
    return (await this.catalog.allVisible(layers)) ? err : new LayerNotFoundError(requested);
  }

  /**
   * The listed layers; several must all be tables (functions make their own whole tile). Known
   * layers cost nothing; a name the registry does not know means checking the catalog for changes
   * first, once for the whole list.
   */
  private async resolve(ids: string[], requested: string): Promise<Layer[]> {
    let layers = ids.map((id) => this.registry.known(id));
    if (layers.some((layer) => layer === undefined)) {
      const current = await this.registry.current();
      layers = ids.map((id) => current.get(id));
    }
    if (layers.some((layer) => layer === undefined)) throw new LayerNotFoundError(requested);
    const resolved = layers as Layer[];
    if (resolved.length > 1 && resolved.some((l) => l.kind === 'function')) {
      throw await this.unlessHidden(new InvalidParameterError('layer', 'only table layers can be combined in one tile'), resolved, requested);
    }
    return resolved;
  }

  private statementFor(layers: Layer[], tile: TileCoordinates, query: RawQuery): TileQuery {
    const [first] = layers;
    if (first.kind === 'function') return functionTileQuery(first, tile, parseFunctionArgs(query, first));
    const tables = layers as TableLayer[];
    const params = parseTableTileParams(query, tables, this.config);
    if (params.filter && !this.registry.knowsSrid(params.filterSrid)) {
      throw new InvalidParameterError('filter-crs', `SRID ${params.filterSrid} is not in the database's spatial_ref_sys`);
    }
    return tableTileQuery(tables, tile, params, this.transaction.postgisSchema);
  }
}

/**
 * A tile statement met a missing column, table or function although nothing about its layers
 * changed: a function layer's own SQL failed with the arguments given (a value it looked up, a
 * table it names). Said without the database's text, which would name what does not exist.
 */
function staleWithoutChange(layers: Layer[]): TilegateError {
  if (layers[0].kind === 'function') return new InvalidParameterError('arguments', 'the function layer could not make a tile with these arguments');
  return new StaleCatalogError();
}

import { Inject, Injectable } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import type { RoleTransaction } from '@app/database';
import { InvalidParameterError, LayerNotFoundError, StaleCatalogError, TilegateError } from '@app/errors';
import { Layer, TableLayer } from '../catalog/layer.types';
import { LayerRegistry } from '../catalog/layer-registry';
import { CatalogService } from '../catalog/catalog.service';
import { TileCoordinates } from './tile-coordinates';
import { parseTableTileRequest, settingsFor, TABLE_TILE_PARAMETERS } from './table-tile-params';
import { parseFunctionArgs } from './function-tile-args';
import { tileContext } from './table-tile.sql';
import { TilePart, tileStatement } from './tile-statement';
import { QueryParameters, RawQuery } from './query-values';
import { layerIdsOf } from './layer-list';
import { CachedTile, TileCache } from '../cache/tile-cache.service';
import { StatementDigests, TileRequestText } from './statement-digests';

/**
 * Makes a tile as the request's role. The layers' metadata comes from the shared registry (no
 * query when known), the request's parameters are read against it before any connection is
 * taken, and the tile statement goes to PostgreSQL with its role switch in one round trip. Whether
 * the role may read a layer is the database's answer to that statement (permission denied is a
 * 404; a role with column-level GRANTs then gets the columns it may read). Nothing about a layer is
 * said before the role is known to see it: a request about a layer that fails for any other reason
 * (a bad parameter, a property it lacks) asks the database whether the role may use the layer, and
 * answers exactly as for an unknown name if not.
 */
@Injectable()
export class TilesService {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly registry: LayerRegistry,
    private readonly catalog: CatalogService,
    private readonly cache: TileCache,
  ) {}

  private readonly digests = new StatementDigests();

  /** The tile, made (or taken from the cache) as `transaction`'s role. */
  async tile(transaction: RoleTransaction, layerList: string, tile: TileCoordinates, rawQuery: RawQuery): Promise<CachedTile> {
    const query = new QueryParameters(rawQuery, this.config.strictParameters);
    const ids = layerIdsOf(layerList);
    let layers = await this.resolve(ids, layerList);
    const request: TileRequestText = { layerList, tile, query: rawQuery, postgisSchema: transaction.postgisSchema };
    try {
      return await this.attempt(transaction, layers, request, query);
    } catch (err) {
      if (!(err instanceof StaleCatalogError)) throw err;
      // A missing column or table: retry on fresh metadata only if a layer itself changed, so an
      // error a function raises by itself (or a value provokes) never makes the catalog reload.
      if (!(await this.registry.changed(layers))) throw await this.unlessHidden(transaction, staleWithoutChange(layers), layers, layerList);
      this.registry.invalidate();
      layers = await this.resolve(ids, layerList);
      return this.attempt(transaction, layers, request, query);
    }
  }

  private async attempt(transaction: RoleTransaction, layers: Layer[], request: TileRequestText, query: QueryParameters): Promise<CachedTile> {
    const requested = request.layerList;
    try {
      return await this.make(transaction, layers, request, query);
    } catch (err) {
      if (!(err instanceof LayerNotFoundError)) throw await this.unlessHidden(transaction, err, layers, requested);
      // Permission denied: perhaps only on some columns (column-level GRANTs); then the tile is
      // made of the columns the role may read. Otherwise the same answer, word for word, as for a
      // name that does not exist.
      const narrowed = await this.readableLayers(transaction, layers);
      if (!narrowed) throw new LayerNotFoundError(requested);
      try {
        return await this.make(transaction, narrowed, request, query, false);
      } catch (again) {
        throw again instanceof LayerNotFoundError ? new LayerNotFoundError(requested) : await this.unlessHidden(transaction, again, narrowed, requested);
      }
    }
  }

  /**
   * The tile's statement from the request, run through the cache (keyed by the statement's digest:
   * the statement holds every normalised parameter); parameter errors are thrown before any
   * connection is taken. A request seen lately is keyed without building its statement again
   * (StatementDigests), unless its layers are not the registry's (narrowed for this request: new
   * objects every time, never asked for again). Only tiles are cached: errors, 404s included,
   * always come from PostgreSQL.
   */
  private make(transaction: RoleTransaction, layers: Layer[], request: TileRequestText, query: QueryParameters, registryLayers = true): Promise<CachedTile> {
    // Without a tile cache no digest is ever asked for: nothing to remember, so no request text to make.
    const remember = registryLayers && this.cache.memoryLevel !== undefined;
    const statement = this.digests.statement(request, layers, () => this.statementFor(layers, request, query), remember);
    return this.cache.tile(transaction.role, layers, statement, async (onPrimary) => {
      const [row] = await transaction.runStatement<{ mvt: Buffer | null }>(statement.text(), onPrimary ? { mayWrite: true } : undefined);
      return row?.mvt ?? Buffer.alloc(0);
    });
  }

  /** The layers with only the columns the role may read, when that differs from all of them; else undefined. */
  private async readableLayers(transaction: RoleTransaction, layers: Layer[]): Promise<Layer[] | undefined> {
    const tables = layers.filter((l): l is TableLayer => l.kind === 'table');
    if (tables.length === 0) return undefined;
    const readable = await this.catalog.readableLayers(transaction, tables);
    if (!readable || readable.every((layer, i) => layer === tables[i])) return undefined;
    const byId = new Map(readable.map((layer) => [layer.id, layer]));
    return layers.map((layer) => byId.get(layer.id) ?? layer);
  }

  /** A 400 about layers the role cannot see would tell they exist: then it is their 404 instead. */
  private async unlessHidden(transaction: RoleTransaction, err: unknown, layers: Layer[], requested: string): Promise<unknown> {
    if (!(err instanceof TilegateError) || err.status !== 400) return err;
    return (await this.catalog.allVisible(transaction, layers)) ? err : new LayerNotFoundError(requested);
  }

  /**
   * The listed layers. Known layers cost nothing; a name the registry does not know means checking
   * the catalog for changes first, once for the whole list.
   */
  private async resolve(ids: string[], requested: string): Promise<Layer[]> {
    let layers = ids.map((id) => this.registry.known(id));
    if (layers.some((layer) => layer === undefined)) {
      const current = await this.registry.current();
      layers = ids.map((id) => current.get(id));
    }
    if (layers.some((layer) => layer === undefined)) throw new LayerNotFoundError(requested);
    return layers as Layer[];
  }

  private statementFor(layers: Layer[], text: TileRequestText, query: QueryParameters): string {
    const tables = layers.some((l) => l.kind === 'table');
    query.rejectUnknown([...(tables ? TABLE_TILE_PARAMETERS : []), ...layers.flatMap((l) => (l.kind === 'function' ? l.overloads.flatMap((o) => o.arguments.map((a) => a.name)) : []))]);
    const request = tables ? parseTableTileRequest(query, this.config) : undefined;
    if (request?.filter && !this.registry.knowsSrid(request.filterSrid)) {
      throw new InvalidParameterError('filter-crs', `SRID ${request.filterSrid} is not in the database's spatial_ref_sys`);
    }
    const parts: TilePart[] = layers.map((layer) =>
      layer.kind === 'table'
        ? { kind: 'table', layer, settings: settingsFor(layer, request!, this.config, query.strict) }
        : { kind: 'function', layer, args: parseFunctionArgs(query, layer) },
    );
    const filter = request?.filter ? { ast: request.filter, srid: request.filterSrid } : null;
    return tileStatement(parts, filter, tileContext(text.tile, this.config.coordinateSystem, text.postgisSchema));
  }
}

/**
 * A tile statement met a missing column, table or function although nothing about its layers
 * changed: a function layer's own SQL failed with the arguments given (a value it looked up, a
 * table it names). Said without the database's text, which would name what does not exist.
 */
function staleWithoutChange(layers: Layer[]): TilegateError {
  if (layers.some((l) => l.kind === 'function')) return new InvalidParameterError('arguments', 'the function layer could not make a tile with these arguments');
  return new StaleCatalogError();
}

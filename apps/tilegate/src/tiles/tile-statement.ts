import { FunctionLayer, TableLayer } from '../catalog/layer.types';
import { FilterAst } from '../filter';
import { BoundArgument } from './function-tile-args';
import { functionCallSql } from './function-tile.sql';
import { LayerTileSettings } from './table-tile-params';
import { tableLayerSql, TileContext } from './table-tile.sql';

/** One layer of a tile: a table with its settings, or a function with its arguments. */
export type TilePart = { kind: 'table'; layer: TableLayer; settings: LayerTileSettings } | { kind: 'function'; layer: FunctionLayer; args: BoundArgument[] };

/**
 * The one statement that makes a tile: each layer's MVT bytes, in the order the URL lists them,
 * concatenated (a tile is a sequence of layers, so `||` of encoded layers is a valid tile; tables
 * and functions mix, as in pg_tileserv). A layer with nothing in the tile adds nothing.
 */
export function tileStatement(parts: TilePart[], filter: { ast: FilterAst; srid: number } | null, ctx: TileContext): string {
  const sql = parts.map((part) => {
    const bytes = part.kind === 'table' ? tableLayerSql(part.layer, part.settings, filter, ctx) : functionCallSql(part.layer, ctx.tile, part.args);
    return `coalesce(${bytes}, ''::pg_catalog.bytea)`;
  });
  return `SELECT ${sql.join('\n    OPERATOR(pg_catalog.||) ')} AS mvt`;
}

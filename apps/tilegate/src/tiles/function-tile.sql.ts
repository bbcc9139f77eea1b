import { escapeIdentifier, escapeLiteral, qualifiedName, sqlInteger } from '@app/database';
import { FunctionLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { BoundArgument } from './function-tile-args';
import { TileQuery } from './table-tile.sql';

/**
 * Calls a function layer with named arguments: z, x, y, then the arguments the request gave, each
 * an escaped literal cast to the argument's declared type (the type text is the catalog's
 * format_type, already quoted where needed), so PostgreSQL's own input function checks the value
 * as it would a parameter's. Arguments not given take the function's defaults. No parameters: the
 * statement goes out in one simple query message with its role switch.
 */
export function functionTileQuery(layer: FunctionLayer, tile: TileCoordinates, args: BoundArgument[]): TileQuery {
  const named = [`z => ${sqlInteger(tile.z)}::integer`, `x => ${sqlInteger(tile.x)}::integer`, `y => ${sqlInteger(tile.y)}::integer`];
  for (const arg of args) named.push(`${escapeIdentifier(arg.name)} => ${escapeLiteral(arg.value)}::${arg.type}`);
  return { text: `SELECT ${qualifiedName(layer.schema, layer.name)}(${named.join(', ')}) AS mvt` };
}

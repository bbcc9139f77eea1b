import { escapeIdentifier, qualifiedName } from '@app/database';
import { FunctionLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { BoundArgument } from './function-tile-args';
import { TileQuery } from './table-tile.sql';

/**
 * Calls a function layer with named arguments: z, x, y, then the arguments the request gave,
 * each a parameter cast to the argument's declared type (the type text is the catalog's
 * format_type, already quoted where needed). Arguments not given take the function's defaults.
 */
export function functionTileQuery(layer: FunctionLayer, tile: TileCoordinates, args: BoundArgument[]): TileQuery {
  const named = ['z => $1::integer', 'x => $2::integer', 'y => $3::integer'];
  args.forEach((arg, i) => named.push(`${escapeIdentifier(arg.name)} => $${i + 4}::${arg.type}`));
  return {
    text: `SELECT ${qualifiedName(layer.schema, layer.name)}(${named.join(', ')}) AS mvt`,
    values: [tile.z, tile.x, tile.y, ...args.map((a) => a.value)],
  };
}

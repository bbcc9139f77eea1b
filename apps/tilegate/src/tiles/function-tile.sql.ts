import { escapeIdentifier, escapeLiteral, qualifiedName, sqlInteger } from '@app/database';
import { FunctionLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { BoundArgument } from './function-tile-args';

/**
 * Calls a function layer with named arguments: z, x, y, then the arguments the request gave, each
 * an escaped literal cast to the argument's declared type, written as its schema and name, both
 * quoted identifiers (never the catalog's type text spliced as it is), so PostgreSQL's own input
 * function checks the value as it would a parameter's. Arguments not given take the function's
 * defaults. No parameters: the statement goes out in one simple query message with its role switch.
 */
export function functionCallSql(layer: FunctionLayer, tile: TileCoordinates, args: BoundArgument[]): string {
  const named = [`z => ${sqlInteger(tile.z)}::pg_catalog.int4`, `x => ${sqlInteger(tile.x)}::pg_catalog.int4`, `y => ${sqlInteger(tile.y)}::pg_catalog.int4`];
  return namedCallSql(layer.schema, layer.name, [...named, ...args.map(namedArgumentSql)]);
}

/** `"schema"."function"(a => ..., b => ...)`: a call with named arguments, already written. */
export function namedCallSql(schema: string, name: string, named: string[]): string {
  return `${qualifiedName(schema, name)}(${named.join(', ')})`;
}

/** `"name" => 'value'::"schema"."type"`. */
export function namedArgumentSql(arg: BoundArgument): string {
  return `${escapeIdentifier(arg.name)} => ${escapeLiteral(arg.value)}::${arg.cast}`;
}

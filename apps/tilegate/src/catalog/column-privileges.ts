import { SqlRunner } from '@app/database';
import { TableLayer } from './layer.types';
import { READABLE_COLUMNS_SQL } from './sql';

/**
 * The layer as the current role may read it: with column-level GRANTs (beyond pg_tileserv, which
 * gave such a role a 404), only the properties it may SELECT, and no feature id if it may not read
 * the id column. Visibility has already required SELECT on the geometry column.
 */
export async function readableLayer(sql: SqlRunner, layer: TableLayer): Promise<TableLayer> {
  const [{ names }] = await sql.query<{ names: string[] }>(READABLE_COLUMNS_SQL, [layer.oid, layer.properties.map((p) => p.name), layer.properties.map((p) => p.attnum)]);
  if (names.length === layer.properties.length) return layer;
  const readable = new Set(names);
  return {
    ...layer,
    properties: layer.properties.filter((p) => readable.has(p.name)),
    idColumn: layer.idColumn !== null && readable.has(layer.idColumn) ? layer.idColumn : null,
  };
}

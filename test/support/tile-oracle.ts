import { Client } from 'pg';
import { decodeTile } from './mvt';

/** Who asks: the role PostgreSQL switches to and the claims a policy may read (null: anonymous, no token). */
export interface Identity {
  name: string;
  role: string;
  claims: Record<string, unknown> | null;
}

/** A tile's answer reduced to what can be compared: a status and its features, sorted, as JSON. */
export interface Answer {
  status: number;
  features: string[];
}

/** One feature as comparable text: its id and its non-null properties, keys sorted. */
function featureText(id: unknown, properties: Record<string, unknown>): string {
  const kept = Object.keys(properties)
    .filter((key) => properties[key] !== null && properties[key] !== undefined)
    .sort()
    .map((key) => [key, properties[key]]);
  return JSON.stringify([id, kept]);
}

/** What tilegate answered, in the same form as what the oracle expects. */
export function answerOf(status: number, bytes: Buffer, layer: string): Answer {
  if (status !== 200) return { status, features: [] };
  const features = bytes.length === 0 ? [] : (decodeTile(bytes)[layer] ?? []);
  return { status, features: features.map((f) => featureText(f.id, f.properties)).sort() };
}

/**
 * What PostgreSQL itself says `identity` may see of a table layer in a tile, asked directly and
 * not through tilegate: in a transaction on `client` (a superuser on the primary), SET LOCAL ROLE
 * and the request claims as tilegate sets them, then the rows whose points fall in the tile's
 * envelope widened by tilegate's default buffer (256 of 4096), with the columns the role may read.
 * No readable geometry column (no SELECT at all) is a 404, as tilegate answers. The id column is
 * the feature id, and a property too; so is every other readable column but the geometry.
 */
export async function expectedAnswer(client: Client, identity: Identity, table: string, tile: string, idColumn = 'id'): Promise<Answer> {
  const [z, x, y] = tile.split('/').map(Number);
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [identity.role, identity.claims ? JSON.stringify(identity.claims) : '{}']);
    const { rows: columns } = await client.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND has_column_privilege($1::regclass, attnum, 'SELECT')
        ORDER BY attnum`,
      [table],
    );
    const names = columns.map((c) => c.name);
    if (!names.includes('geom')) return { status: 404, features: [] };
    const properties = names.filter((n) => n !== 'geom');
    const select = [names.includes(idColumn) ? `"${idColumn}" AS id` : 'NULL AS id', `jsonb_build_object(${properties.map((p) => `'${p}', "${p}"`).join(', ')}) AS properties`];
    const { rows } = await client.query<{ id: number | null; properties: Record<string, unknown> }>(
      `SELECT ${select.join(', ')} FROM ${table}
        WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3, margin => 256.0 / 4096))`,
      [z, x, y],
    );
    return { status: 200, features: rows.map((r) => featureText(r.id ?? undefined, r.properties)).sort() };
  } finally {
    await client.query('ROLLBACK');
  }
}

import type { PoolClient } from 'pg';
import { escapeIdentifier } from './sql-escape';

/**
 * Facts about the database that every transaction needs, read once at start as the login role:
 * - `loginRole`: a token may never name it (it would run as the authenticator itself);
 * - `postgisSchema`: where PostGIS lives, so tilegate's SQL calls its functions by schema;
 * - `requestSearchPath`: the search_path every request runs with: `pg_catalog` first, then the
 *   schemas the login role's own search_path resolves to, then PostGIS's schema. Pinned in every
 *   transaction, so a role's own schema (`"$user"`) can never put look-alike functions in front of
 *   the ones tilegate and the layers' own SQL call. Function layers and policies keep resolving
 *   names as they do for the login role, which is what pg_tileserv runs them as.
 */
export interface DatabaseInfo {
  loginRole: string;
  postgisSchema: string;
  requestSearchPath: string;
}

/** The search_path of shared metadata reads (see CatalogReader): nothing but the system catalog. */
export const CATALOG_SEARCH_PATH = 'pg_catalog';

export async function readDatabaseInfo(client: PoolClient): Promise<DatabaseInfo> {
  const { rows } = await client.query<{ login_role: string; postgis_schema: string | null; schemas: string[] }>(
    `SELECT pg_catalog.session_user()::text AS login_role,
            (SELECT n.nspname::text FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
              WHERE e.extname OPERATOR(pg_catalog.=) 'postgis') AS postgis_schema,
            pg_catalog.current_schemas(false)::text[] AS schemas`,
  );
  const [row] = rows;
  if (!row.postgis_schema) throw new Error('PostGIS is not installed in the database named by DbConnection (CREATE EXTENSION postgis)');
  const schemas = [...new Set(['pg_catalog', ...row.schemas, row.postgis_schema])];
  return {
    loginRole: row.login_role,
    postgisSchema: row.postgis_schema,
    requestSearchPath: schemas.map((s) => (s === 'pg_catalog' ? s : escapeIdentifier(s))).join(', '),
  };
}

import { Client } from 'pg';
import { ADMIN_URL } from './test-database';

/** Fails fast, with the fix, when the cluster or PostGIS is missing. */
export default async function globalSetup(): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`e2e tests need PostgreSQL at ${ADMIN_URL} (set TILEGATE_TEST_ADMIN_URL): ${(err as Error).message}`);
  }
  try {
    const { rows } = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'`);
    if (rows.length === 0) throw new Error('e2e tests need PostGIS: apt-get install -y postgresql-15-postgis-3 (bash .ci/run does it)');
  } finally {
    await client.end();
  }
}

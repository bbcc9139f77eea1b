import { ConfigKey, ConfigValue } from '../../libs/config/src';
import { createTestDatabase, TestDatabase } from './test-database';
import { startServer, TestServer } from './test-server';
import { TEST_SECRET } from './tokens';

export type Settings = Partial<Record<ConfigKey, ConfigValue>>;

/** A deployment with role switching on: the test authenticator, the shared test secret, the test anonymous role. */
export function roleSwitching(db: TestDatabase, extra: Settings = {}): Settings {
  return { DbConnection: db.authenticatorUrl, JwtSecret: TEST_SECRET, AnonRole: db.roles.anon, ...extra };
}

export interface E2eContext {
  db: TestDatabase;
  server: TestServer;
}

/**
 * For the enclosing describe: a database created from `fixture` before its tests and dropped after,
 * with the real server started on it (role switching on unless `settings` says otherwise).
 */
export function serveTestDatabase(fixture: string, settings: (db: TestDatabase) => Settings = (db) => roleSwitching(db)): E2eContext {
  const context = {} as E2eContext;
  beforeAll(async () => {
    context.db = await createTestDatabase(fixture);
    context.server = await startServer(settings(context.db));
  });
  afterAll(async () => {
    await context.server?.close();
    await context.db?.drop();
  });
  return context;
}

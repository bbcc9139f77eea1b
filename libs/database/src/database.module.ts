import { Global, Module } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ConnectionPool } from './connection-pool';
import { RoleTransaction } from './role-transaction';
import { DatabaseHealth } from './database-health';
import { CatalogReader } from './catalog-reader';
import { ClaimKeys } from './claim-keys';
import { checkAuthenticator } from './authenticator-check';
import { PrivilegeStampReader } from './privilege-stamps';

/**
 * Provides RoleTransaction (the request's role), CatalogReader (shared metadata) and DatabaseHealth. The pool stays inside this module:
 * it is a provider here but never exported, so no feature can inject it.
 */
@Global()
@Module({
  providers: [
    {
      provide: ConnectionPool,
      inject: [TILEGATE_CONFIG],
      useFactory: async (config: TilegateConfig) => {
        const pool = new ConnectionPool(config);
        await pool.open();
        try {
          await checkAuthenticator(pool, config);
        } catch (err) {
          await pool.onApplicationShutdown();
          throw err;
        }
        return pool;
      },
    },
    ClaimKeys,
    RoleTransaction,
    CatalogReader,
    DatabaseHealth,
    PrivilegeStampReader,
  ],
  exports: [RoleTransaction, CatalogReader, ClaimKeys, DatabaseHealth, PrivilegeStampReader],
})
export class DatabaseModule {}

import { Global, Module } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { ConnectionPool } from './connection-pool';
import { RoleTransactions } from './role-transaction';
import { DatabaseHealth } from './database-health';
import { CatalogReader } from './catalog-reader';
import { ClaimKeys } from './claim-keys';
import { checkAuthenticator } from './authenticator-check';
import { PrivilegeStampReader } from './privilege-stamps';
import { PrimaryNotifier } from './primary-notifier';
import { ReadReplicas } from './read-replicas';

/**
 * Provides RoleTransactions (each request's RoleTransaction, as its role), CatalogReader (shared
 * metadata), DatabaseHealth (readiness: the primary only) and ReadReplicas (DbReadConnection, for the tile cache). The pool stays inside this module:
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
    {
      // After the primary: its position is what replica lag is measured against.
      provide: ReadReplicas,
      inject: [TILEGATE_CONFIG, ConnectionPool],
      useFactory: async (config: TilegateConfig, pool: ConnectionPool) => {
        const replicas = new ReadReplicas(config, pool);
        await replicas.start();
        return replicas;
      },
    },
    ClaimKeys,
    RoleTransactions,
    CatalogReader,
    DatabaseHealth,
    PrivilegeStampReader,
    PrimaryNotifier,
  ],
  exports: [RoleTransactions, CatalogReader, ClaimKeys, DatabaseHealth, PrivilegeStampReader, PrimaryNotifier, ReadReplicas],
})
export class DatabaseModule {}

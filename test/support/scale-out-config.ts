import { writeFileSync } from 'node:fs';
import type { RedisServer } from './redis-server';
import type { StreamingReplica } from './streaming-replica';
import type { ClusterDatabase } from './throwaway-cluster';
import { TEST_SECRET } from './tokens';

/**
 * The config file of one tilegate replica in test/scale-out.e2e-spec.ts, written to `file`:
 * writes to the primary, reads from the streaming replica, shares Redis, caches only what the
 * invalidation triggers watch (TileCacheTTL 0), and the RLS layer keyed by claims. Returns `file`.
 */
export function writeReplicaConfig(file: string, deployment: { db: ClusterDatabase; replica: StreamingReplica; redis: RedisServer; extra?: string[] }): string {
  const { db, replica, redis, extra = [] } = deployment;
  const toml = (value: string) => JSON.stringify(value);
  writeFileSync(
    file,
    [
      `DbConnection = ${toml(db.authenticatorUrl)}`,
      `DbReadConnection = [${toml(replica.urlFor(db.authenticatorUrl))}]`,
      `JwtSecret = ${toml(TEST_SECRET)}`,
      `AnonRole = ${toml(db.roles.anon)}`,
      `RedisUrl = ${toml(redis.url)}`,
      `RedisSecret = ${toml(`${TEST_SECRET}-for-redis`)}`,
      'TileCacheTTL = 0',
      'DbTimeout = 5',
      'LogFormat = "json"',
      ...extra,
      '[[Layer]]',
      'Id = "public.regional_sites"',
      'Cache = "claims"',
    ].join('\n'),
  );
  return file;
}

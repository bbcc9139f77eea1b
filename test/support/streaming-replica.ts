import { join } from 'node:path';
import { withClient } from '../../scripts/lib/pg-admin';
import { PG_BIN, startThrowawayCluster, ThrowawayCluster } from './throwaway-cluster';
import { runAsServerUser } from './processes';

/**
 * A throwaway primary that streaming replicas can follow: wal_level=replica and WAL senders
 * (initdb's pg_hba.conf already trusts replication connections from 127.0.0.1).
 */
export function startReplicationPrimary(): Promise<ThrowawayCluster> {
  return startThrowawayCluster({ settings: { wal_level: 'replica', max_wal_senders: '4', wal_keep_size: '64MB' } });
}

/** A hot standby of `primary`, on its own port, made by pg_basebackup -R (so it streams from the primary). */
export interface StreamingReplica extends ThrowawayCluster {
  /** `url` (a connection string to the primary) with the replica's port instead. */
  urlFor(url: string): string;
  /** pg_wal_replay_pause(): WAL still arrives, none is applied, reads see the data as it was. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  replayLsn(): Promise<string>;
  /**
   * Resolves once replay has reached the primary's current insert position: everything committed
   * before the call. (The write position would do only with synchronous_commit on; throwaway
   * clusters have it off, so a commit may not be written yet when it returns.)
   */
  caughtUp(timeoutMs?: number): Promise<void>;
}

/**
 * Everything the replica should serve (databases, roles, PostGIS) must exist on the primary
 * before this is called: the base backup copies the primary as it is.
 */
export async function startStreamingReplica(primary: ThrowawayCluster): Promise<StreamingReplica> {
  const cluster = await startThrowawayCluster({
    // hot_standby is on by default; listed so the intent is plain.
    settings: { hot_standby: 'on' },
    createDataDirectory: async (dataDirectory, directory) => {
      await runAsServerUser(
        join(PG_BIN, 'pg_basebackup'),
        ['-D', dataDirectory, '-R', '-X', 'stream', '-c', 'fast', '--no-sync', '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
        directory,
      );
    },
  });
  const ask = <T>(sql: string) => withClient(cluster.adminUrl, async (c) => (await c.query(sql)).rows[0] as T);
  const replayLsn = async () => (await ask<{ lsn: string }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).lsn;
  return Object.assign(cluster, {
    urlFor: (url: string) => {
      const parsed = new URL(url);
      parsed.port = String(cluster.port);
      return parsed.toString();
    },
    pauseReplay: async () => void (await ask('SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await ask('SELECT pg_wal_replay_resume()')),
    replayLsn,
    caughtUp: async (timeoutMs = 10_000) => {
      const target = (await withClient(primary.adminUrl, async (c) => (await c.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0] as { lsn: string })).lsn;
      const until = Date.now() + timeoutMs;
      while ((await ask<{ done: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn AS done`)).done !== true) {
        if (Date.now() > until) throw new Error(`the replica did not replay ${target} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  });
}

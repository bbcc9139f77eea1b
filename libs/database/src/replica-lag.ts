import { compareLsn } from './lsn';

/** The primary's WAL position at a moment (epoch ms). */
export interface PrimarySample {
  atMs: number;
  lsn: string;
}

/** What a replica said about itself. */
export interface ReplayPosition {
  replayLsn: string;
  /** now() - pg_last_xact_replay_timestamp() on the replica, in seconds; null before any replay. */
  replayAgeSeconds: number | null;
}

/**
 * How many seconds of the primary's changes the replica has not replayed yet.
 * - Replayed at least what the primary had at the latest sample: 0. The replay timestamp alone
 *   would say otherwise: it is the time of the last replayed commit, which an idle primary makes
 *   old while the replica is fully current.
 * - Behind: the replay timestamp's age, but no more than the time since the primary was last seen
 *   at or before the replay position (the first write after an idle hour puts a current replica
 *   "an hour" behind by the timestamp for a moment). A replay position older than every sample
 *   leaves the timestamp as the only measure (Infinity before any replay: not used).
 */
export function replicaLagSeconds(position: ReplayPosition, samples: readonly PrimarySample[], nowMs: number): number {
  const latest = samples[samples.length - 1];
  if (latest === undefined) return Infinity;
  if (compareLsn(position.replayLsn, latest.lsn) >= 0) return 0;
  let seenBehindFor = Infinity;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (compareLsn(samples[i].lsn, position.replayLsn) <= 0) {
      seenBehindFor = Math.max(0, nowMs - samples[i].atMs) / 1000;
      break;
    }
  }
  return Math.max(0, Math.min(position.replayAgeSeconds ?? Infinity, seenBehindFor));
}

/** The primary's recent WAL positions, oldest first, kept for `keepMs` (a bit more than the lag that matters). */
export class PrimaryLsnHistory {
  private readonly kept: PrimarySample[] = [];

  constructor(private readonly keepMs: number) {}

  add(sample: PrimarySample): void {
    this.kept.push(sample);
    // One sample older than the window stays: it is what says since when a replica is behind.
    while (this.kept.length > 2 && this.kept[1].atMs < sample.atMs - this.keepMs) this.kept.shift();
  }

  get samples(): readonly PrimarySample[] {
    return this.kept;
  }

  get latest(): PrimarySample | undefined {
    return this.kept[this.kept.length - 1];
  }
}

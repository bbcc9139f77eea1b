import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Static SQL beside this file (copied to dist by nest-cli's **\/*.sql asset rule). */
const DDL_TRIGGER_STATE_SQL = readFileSync(join(__dirname, 'sql', 'ddl-trigger-state.sql'), 'utf8');
/** The watch state makes the same test of the DDL event trigger: one text for both. */
const WATCH_STATE_SQL = readFileSync(join(__dirname, 'sql', 'watch-state.sql'), 'utf8').replace('@ddl_trigger_state@', DDL_TRIGGER_STATE_SQL.replace(/--.*$/gm, '').trim());

const OUTDATED_WATCHES_SQL = readFileSync(join(__dirname, 'sql', 'outdated-watches.sql'), 'utf8');

/** Runs one statement; CatalogReader's SqlRunner.query fits (login role, search_path = pg_catalog). */
export type RunQuery = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface RelationWatch {
  /** Every change that can alter this layer's tiles sends a notification (see sql/watch-state.sql). */
  watched: boolean;
  /** The tables whose `tables` notifications invalidate this layer: itself, its partitions, a view's tables. */
  baseTables: number[];
}

/** Whether the DDL event trigger is installed and enabled; without it nothing counts as watched. */
export async function ddlTriggerInstalled(runQuery: RunQuery): Promise<boolean> {
  const rows = await runQuery(DDL_TRIGGER_STATE_SQL);
  return rows[0]?.installed === true;
}

/** Tables that watch() must run on again (watched by the script before 2026-12-03), by name. */
export async function outdatedWatches(runQuery: RunQuery): Promise<string[]> {
  return (await runQuery(OUTDATED_WATCHES_SQL)).map((row) => String(row.name));
}

/** For each layer relation: whether it is watched, and by which tables' notifications. */
export async function watchState(runQuery: RunQuery, layerRelationOids: number[]): Promise<Map<number, RelationWatch>> {
  const rows = layerRelationOids.length > 0 ? await runQuery(WATCH_STATE_SQL, [layerRelationOids]) : [];
  return toWatchState(layerRelationOids, rows);
}

/**
 * Rows to the map, with every asked-for oid in it: one the query did not return (it cannot
 * happen, but a missing answer must never read as "watched") is unwatched. int8 arrives as text.
 */
export function toWatchState(layerRelationOids: number[], rows: Record<string, unknown>[]): Map<number, RelationWatch> {
  const state = new Map<number, RelationWatch>(layerRelationOids.map((oid) => [oid, { watched: false, baseTables: [] }]));
  for (const row of rows) {
    const oid = Number(row.oid);
    if (!state.has(oid)) continue;
    const baseTables = Array.isArray(row.base_tables) ? row.base_tables.map(Number) : [];
    state.set(oid, { watched: row.watched === true, baseTables });
  }
  return state;
}

/**
 * The layer relations whose watch differs between two reads (watched or not, or by which
 * tables). Tiles cached under the old rule may be kept by the wrong one: stored as "until a
 * change" while the triggers were being dropped (they would never expire), or stored with a TTL
 * while the listener was reconnecting (a change heard before the new read invalidated nothing).
 * A relation read for the first time (a new layer, or after the listener was lost) counts as
 * changed only when it is watched now: before, only a TTL rule can have applied to it.
 */
export function watchChanges(before: ReadonlyMap<number, RelationWatch>, after: ReadonlyMap<number, RelationWatch>): number[] {
  const changed: number[] = [];
  for (const [oid, now] of after) {
    const was = before.get(oid);
    if (!was) {
      if (now.watched) changed.push(oid);
    } else if (was.watched !== now.watched || !sameTables(was.baseTables, now.baseTables)) changed.push(oid);
  }
  return changed;
}

function sameTables(a: number[], b: number[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((table) => set.has(table));
}

import { Injectable, Logger } from '@nestjs/common';
import { SqlRunner } from '@app/database';
import { Layer } from './layer.types';
import { VisibilityCandidates } from './layer-visibility';
import { FunctionLayerRow, functionLayerFromRow, TableLayerRow, tableLayerFromRow } from './layer-rows';
import { CATALOG_FINGERPRINT_SQL, FUNCTION_LAYERS_SQL, LAYER_COLUMNS_FINGERPRINT_SQL, TABLE_LAYERS_SQL } from './sql';

interface Snapshot {
  fingerprint: string;
  layers: Map<string, Layer>;
  /** All of them, ready for the visibility check of index.json. */
  candidates: VisibilityCandidates;
}

/**
 * The database's layer metadata (names, columns, types, arguments), shared by all requests.
 * It holds no verdicts: whether a role may use a layer is asked of the database per request.
 * The metadata is reloaded when the catalog fingerprint changes (checked before every catalog
 * answer, and when a tile names a layer not yet known) or after a tile query finds it stale.
 * Loading runs on the caller's own transaction; pg_catalog reads the same for every role.
 */
@Injectable()
export class LayerRegistry {
  private readonly logger = new Logger('Catalog');
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;

  /** All known layers, refreshed first if the schema changed since the last load. */
  async current(sql: SqlRunner): Promise<Map<string, Layer>> {
    return (await this.fresh(sql)).layers;
  }

  /** All known layers as visibility candidates, refreshed first like current(). */
  async candidates(sql: SqlRunner): Promise<VisibilityCandidates> {
    return (await this.fresh(sql)).candidates;
  }

  /**
   * One layer with metadata current down to its columns, for answers that list them ({layer}.json,
   * TileJSON): the catalog fingerprint, then that relation's own columns.
   */
  async described(sql: SqlRunner, id: string): Promise<Layer | undefined> {
    const layer = (await this.current(sql)).get(id);
    if (layer?.kind !== 'table') return layer;
    const [{ fingerprint }] = await sql.query<{ fingerprint: string }>(LAYER_COLUMNS_FINGERPRINT_SQL, [layer.oid]);
    if (fingerprint === layer.columnsFingerprint) return layer;
    this.invalidate();
    return (await this.current(sql)).get(id);
  }

  /** One layer by id. Known layers cost no query; an unknown name checks for new layers first. */
  async find(sql: SqlRunner, id: string): Promise<Layer | undefined> {
    return this.known(id) ?? (await this.current(sql)).get(id);
  }

  /** A layer already known and not invalidated since, without asking the database; else undefined. */
  known(id: string): Layer | undefined {
    return this.snapshot?.fingerprint ? this.snapshot.layers.get(id) : undefined;
  }

  /** Forget the fingerprint so the next lookup checks and reloads (a tile query found a column or table gone). */
  invalidate(): void {
    if (this.snapshot) this.snapshot = { ...this.snapshot, fingerprint: '' };
  }

  private async fresh(sql: SqlRunner): Promise<Snapshot> {
    const [{ fingerprint }] = await sql.query<{ fingerprint: string }>(CATALOG_FINGERPRINT_SQL);
    if (this.snapshot?.fingerprint === fingerprint) return this.snapshot;
    return this.reload(sql, fingerprint);
  }

  private reload(sql: SqlRunner, fingerprint: string): Promise<Snapshot> {
    // Concurrent requests that see the same change share one load.
    this.loading ??= this.load(sql, fingerprint).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(sql: SqlRunner, fingerprint: string): Promise<Snapshot> {
    const tables = await sql.query<TableLayerRow>(TABLE_LAYERS_SQL);
    const functions = await sql.query<FunctionLayerRow>(FUNCTION_LAYERS_SQL);
    const layers = new Map<string, Layer>();
    for (const layer of [...tables.map(tableLayerFromRow), ...functions.map(functionLayerFromRow)]) {
      const clash = layers.get(layer.id);
      if (clash) {
        this.logger.warn(`two layers are named ${layer.id} (${clash.kind} and ${layer.kind}); serving the ${clash.kind}`);
        continue;
      }
      layers.set(layer.id, layer);
    }
    this.snapshot = { fingerprint, layers, candidates: new VisibilityCandidates(layers.values()) };
    this.logger.log(`catalog loaded: ${tables.length} table and ${functions.length} function layers`);
    return this.snapshot;
  }
}

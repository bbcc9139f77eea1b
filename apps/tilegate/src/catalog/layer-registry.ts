import { Inject, Injectable, Logger } from '@nestjs/common';
import { inCatalogScope, TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { CatalogReader, ClaimKeys, escapeIdentifier, SqlRunner } from '@app/database';
import { FunctionLayer, Layer, SignInFunction } from './layer.types';
import { VisibilityCandidates } from './layer-visibility';
import { FunctionLayerRow, functionLayerFromRow, TableLayerRow, tableLayerFromRow, UnservableLayer } from './layer-rows';
import { CATALOG_FINGERPRINT_SQL, CLAIM_KEYS_SQL, FUNCTION_LAYERS_SQL, LAYER_COLUMNS_FINGERPRINT_SQL, SIGN_IN_FUNCTIONS_SQL, TABLE_LAYERS_SQL } from './sql';

interface Snapshot {
  fingerprint: string;
  layers: Map<string, Layer>;
  /** The SRIDs PostGIS can transform from (spatial_ref_sys), for filter-crs. */
  srids: Set<number>;
  /** Functions returning JwtTypeIdentifier, by id (empty when tokens are not issued). */
  signIn: Map<string, SignInFunction>;
  /** All of them, ready for the visibility check of index.json. */
  candidates: VisibilityCandidates;
}

/**
 * The database's layer metadata (names, columns, types, arguments), shared by all requests.
 * It holds no verdicts: whether a role may use a layer is asked of the database per request.
 * Everything here is read through CatalogReader, as the login role with search_path =
 * pg_catalog, never inside a request's transaction: what every role shares must not depend on
 * the role that happened to ask first. The metadata is reloaded when the catalog fingerprint
 * changes (checked before every catalog answer, and when a tile names a layer not yet known).
 */
@Injectable()
export class LayerRegistry {
  private readonly logger = new Logger('Catalog');
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  /** What was last said about layers left out, so each reason is logged once, not at every load. */
  private reported = new Set<string>();

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly reader: CatalogReader,
    private readonly claimKeys: ClaimKeys,
  ) {}

  /** All known layers, refreshed first if the schema changed since the last load. */
  async current(): Promise<Map<string, Layer>> {
    return (await this.fresh()).layers;
  }

  /** All known layers as visibility candidates, refreshed first like current(). */
  async candidates(): Promise<VisibilityCandidates> {
    return (await this.fresh()).candidates;
  }

  /**
   * One layer with metadata current down to its columns, for answers that list them ({layer}.json,
   * TileJSON): the catalog fingerprint, then that relation's own columns.
   */
  async described(id: string): Promise<Layer | undefined> {
    const layer = (await this.current()).get(id);
    if (layer?.kind !== 'table' || !(await this.columnsChanged(layer))) return layer;
    this.invalidate();
    return (await this.current()).get(id);
  }

  /**
   * Whether any of these layers is not what the catalog says now: a relation's columns or the
   * catalog fingerprint changed. A tile that met a missing column or table reloads only then, so an
   * error a function raises by itself (or an argument provokes) never forces a reload.
   */
  async changed(layers: Layer[]): Promise<boolean> {
    if (!this.snapshot) return true;
    const fingerprint = await this.reader.read((sql) => fingerprintOf(sql));
    if (fingerprint !== this.snapshot.fingerprint) return true;
    for (const layer of layers) if (layer.kind === 'table' && (await this.columnsChanged(layer))) return true;
    return false;
  }

  /** A layer already known and not invalidated since, without asking the database; else undefined. */
  known(id: string): Layer | undefined {
    return this.snapshot?.fingerprint ? this.snapshot.layers.get(id) : undefined;
  }

  /** The sign-in functions (JwtTypeIdentifier), refreshed first like current(). */
  async signInFunctions(): Promise<Map<string, SignInFunction>> {
    return (await this.fresh()).signIn;
  }

  /** Whether PostGIS knows the SRID (an unknown one makes ST_Transform fail the whole statement). */
  knowsSrid(srid: number): boolean {
    return this.snapshot?.srids.has(srid) ?? false;
  }

  /** Forget the fingerprint so the next lookup checks and reloads. */
  invalidate(): void {
    if (this.snapshot) this.snapshot = { ...this.snapshot, fingerprint: '' };
  }

  private async columnsChanged(layer: Extract<Layer, { kind: 'table' }>): Promise<boolean> {
    const [{ fingerprint }] = await this.reader.read((sql) => sql.query<{ fingerprint: string }>(LAYER_COLUMNS_FINGERPRINT_SQL, [layer.oid]));
    return fingerprint !== layer.columnsFingerprint;
  }

  private async fresh(): Promise<Snapshot> {
    const known = this.snapshot;
    if (this.loading) return this.loading;
    // Concurrent requests that see the same change share one load.
    this.loading = this.reader
      .read(async (sql) => {
        const fingerprint = await fingerprintOf(sql);
        return known?.fingerprint === fingerprint ? known : this.load(sql, fingerprint);
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(sql: SqlRunner, fingerprint: string): Promise<Snapshot> {
    const postgis = escapeIdentifier(this.reader.postgisSchema);
    const tables = await sql.query<TableLayerRow>(TABLE_LAYERS_SQL.replaceAll('@postgis@', postgis));
    const functions = await sql.query<FunctionLayerRow>(FUNCTION_LAYERS_SQL);
    const owners = new Map(functions.map((row) => [Number(row.oid), row.owner]));
    const layers = this.servable([...tables.map(tableLayerFromRow), ...functions.map(functionLayerFromRow)], owners);
    // The claim keys policies and functions read, defined on every connection before the next request.
    this.claimKeys.declare((await sql.query<{ key: string }>(CLAIM_KEYS_SQL)).map((row) => row.key));
    const srids = new Set((await sql.query<{ srid: number }>(`SELECT srid FROM ${postgis}.spatial_ref_sys`)).map((row) => row.srid));
    const signIn = await this.loadSignIn(sql);
    this.snapshot = { fingerprint, layers, srids, signIn, candidates: new VisibilityCandidates(layers.values()) };
    this.logger.log(`catalog loaded: ${tables.length} table and ${functions.length} function layers`);
    return this.snapshot;
  }

  /**
   * Layers by id, leaving out what cannot be served or is out of the configured catalog scope, with
   * their [[Layer]] settings applied. Overloads of one function by one owner are one layer (a
   * request picks the overload by the arguments it gives). Any other two objects under one id (a
   * table and a function of the same name, overloads by different owners, or `s.a` + `b` and
   * `s` + `a.b`) serve neither: keeping either would let whoever may create the other one replace
   * a layer someone else owns, for every role.
   */
  private servable(found: Array<Layer | UnservableLayer>, owners: Map<number, string>): Map<string, Layer> {
    const byId = new Map<string, Array<Layer | UnservableLayer>>();
    for (const item of found) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
    const layers = new Map<string, Layer>();
    const reasons = new Set<string>();
    for (const [id, items] of byId) {
      const unservable = items.find((item): item is UnservableLayer => item instanceof UnservableLayer);
      const layer = items.length === 1 ? items[0] : overloadsOf(items, owners);
      if (unservable && items.length === 1) reasons.add(`not serving ${id}: ${unservable.reason}`);
      else if (!layer || layer instanceof UnservableLayer) reasons.add(`${items.length} objects are named ${id}; serving none of them (rename one)`);
      else if (inCatalogScope(this.config.catalogScope, layer.schema, id)) layers.set(id, this.withSettings(layer));
    }
    for (const setting of this.config.layers) if (!byId.has(setting.id)) reasons.add(`[[Layer]] ${setting.id} names no layer`);
    for (const reason of reasons) if (!this.reported.has(reason)) this.logger.warn(reason);
    this.reported = reasons;
    return layers;
  }

  /** Sign-in functions; one name in a schema serves one function (overloads would be ambiguous). */
  private async loadSignIn(sql: SqlRunner): Promise<Map<string, SignInFunction>> {
    const issuing = this.config.jwt?.issuing;
    if (!issuing) return new Map();
    const rows = await sql.query<FunctionLayerRow>(SIGN_IN_FUNCTIONS_SQL, [issuing.typeSchema, issuing.typeName]);
    const byId = new Map<string, SignInFunction[]>();
    for (const item of rows.map(functionLayerFromRow)) {
      if (item instanceof UnservableLayer) {
        this.logger.warn(`not offering sign-in ${item.id}: ${item.reason}`);
        continue;
      }
      const { id, oid, schema, name, description, arguments: args } = item;
      byId.set(id, [...(byId.get(id) ?? []), { id, oid, schema, name, description, arguments: args }]);
    }
    const found = new Map<string, SignInFunction>();
    for (const [id, items] of byId) {
      if (items.length === 1) found.set(id, items[0]);
      else this.logger.warn(`${items.length} sign-in functions are named ${id}; offering none of them`);
    }
    return found;
  }

  /** The layer with its [[Layer]] settings: zooms, defaults, and the properties it may serve. */
  private withSettings(layer: Layer): Layer {
    const setting = this.config.layers.find((l) => l.id === layer.id);
    const settings = {
      minZoom: setting?.minZoom ?? this.config.defaultMinZoom,
      maxZoom: setting?.maxZoom ?? this.config.defaultMaxZoom,
      limit: setting?.limit,
      buffer: setting?.buffer,
      resolution: setting?.resolution,
      cache: setting?.cache,
    };
    if (layer.kind === 'function' || !setting?.properties) return { ...layer, settings };
    const allowed = setting.properties;
    return { ...layer, settings, properties: layer.properties.filter((p) => allowed.includes(p.name) || p.name === layer.idColumn) };
  }
}

async function fingerprintOf(sql: SqlRunner): Promise<string> {
  const [{ fingerprint }] = await sql.query<{ fingerprint: string }>(CATALOG_FINGERPRINT_SQL);
  return fingerprint;
}

/** Overloads of one function by one owner, as one layer; undefined when they are anything else. */
function overloadsOf(items: Array<Layer | UnservableLayer>, owners: Map<number, string>): FunctionLayer | undefined {
  if (!items.every((item): item is FunctionLayer => !(item instanceof UnservableLayer) && item.kind === 'function')) return undefined;
  if (new Set(items.map((item) => owners.get(item.oid))).size !== 1) return undefined;
  const [first] = items;
  return { ...first, overloads: items.flatMap((item) => item.overloads) };
}

import { Injectable } from '@nestjs/common';
import { RoleTransaction, SqlRunner } from '@app/database';
import { LayerNotFoundError } from '@app/errors';
import { Layer, TableLayer } from './layer.types';
import { LayerRegistry } from './layer-registry';
import { VISIBLE_LAYERS_SQL } from './sql';
import { layerBoundsParams, layerBoundsSql } from './layer-bounds.sql';
import { Bounds, WORLD_BOUNDS } from './layer-documents';

export interface DescribedLayer {
  layer: Layer;
  bounds: Bounds;
}

/**
 * The catalog as the request's role sees it. Every answer comes from one RoleTransaction, so the
 * privilege checks are the database's own, made as that role, at the time of the request.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly transaction: RoleTransaction,
    private readonly registry: LayerRegistry,
  ) {}

  visibleLayers(): Promise<Layer[]> {
    return this.transaction.run(async (sql) => visibleOf(sql, [...(await this.registry.current(sql)).values()]));
  }

  /** One visible layer with its bounds, or LayerNotFoundError (unknown and forbidden look the same). */
  describe(id: string): Promise<DescribedLayer> {
    return this.transaction.run(async (sql) => {
      const known = await this.registry.described(sql, id);
      const [layer] = known ? await visibleOf(sql, [known]) : [];
      if (!layer) throw new LayerNotFoundError(id);
      const bounds = layer.kind === 'table' ? await boundsOf(sql, layer) : WORLD_BOUNDS;
      return { layer, bounds };
    });
  }
}

/** The subset of `layers` the current role has USAGE/SELECT/EXECUTE for. */
async function visibleOf(sql: SqlRunner, layers: Layer[]): Promise<Layer[]> {
  const tables = layers.filter((l) => l.kind === 'table').map((l) => l.oid);
  const functions = layers.filter((l) => l.kind === 'function').map((l) => l.oid);
  const rows = await sql.query<{ kind: string; oid: string }>(VISIBLE_LAYERS_SQL, [tables, functions]);
  // Keyed by kind too: a relation and a function may, rarely, share an oid.
  const visible = new Set(rows.map((r) => `${r.kind}:${r.oid}`));
  return layers.filter((l) => visible.has(`${l.kind}:${l.oid}`));
}

async function boundsOf(sql: SqlRunner, layer: TableLayer): Promise<Bounds> {
  const [row] = await sql.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(layerBoundsSql(layer), layerBoundsParams(layer));
  if (!row || ![row.xmin, row.ymin, row.xmax, row.ymax].every(Number.isFinite)) return WORLD_BOUNDS;
  return [row.xmin, row.ymin, row.xmax, row.ymax];
}

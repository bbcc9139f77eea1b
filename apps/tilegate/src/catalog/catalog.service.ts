import { Injectable } from '@nestjs/common';
import type { RoleTransaction, SqlRunner } from '@app/database';
import { LayerNotFoundError } from '@app/errors';
import { Layer, TableLayer } from './layer.types';
import { LayerRegistry } from './layer-registry';
import { usableLayers, UsableLayers, VisibilityCandidates } from './layer-visibility';
import { layerBoundsParams, layerBoundsSql } from './layer-bounds.sql';
import { readableLayer } from './column-privileges';
import { Bounds, WORLD_BOUNDS } from './layer-documents';

export interface DescribedLayer {
  layer: Layer;
  bounds: Bounds;
}

/**
 * The catalog as the request's role sees it. Every answer comes from one transaction of the
 * request's RoleTransaction, so the privilege checks are the database's own, made as that role,
 * at the time of the request.
 */
@Injectable()
export class CatalogService {
  constructor(private readonly registry: LayerRegistry) {}

  /** Every layer the role may use; the signature names the answer for caching what is made from it. */
  async visibleLayers(transaction: RoleTransaction): Promise<UsableLayers> {
    const candidates = await this.registry.candidates();
    return transaction.run((sql) => usableLayers(sql, candidates));
  }

  /** One visible layer with its bounds, or LayerNotFoundError (unknown and forbidden look the same). */
  async describe(transaction: RoleTransaction, id: string): Promise<DescribedLayer> {
    const known = await this.registry.described(id);
    return transaction.run(async (sql) => {
      const [visible] = known ? (await usableLayers(sql, new VisibilityCandidates([known]))).layers : [];
      if (!visible) throw new LayerNotFoundError(id);
      if (visible.kind === 'function') return { layer: visible, bounds: WORLD_BOUNDS };
      const layer = await readableLayer(sql, visible);
      return { layer, bounds: await boundsOf(sql, layer, transaction.postgisSchema) };
    });
  }

  /**
   * The tables as the role may read them, when it may read the geometry of each (column-level
   * GRANTs); undefined when it may not use one of them at all. Asked only when a tile of the whole
   * tables was refused.
   */
  readableLayers(transaction: RoleTransaction, layers: TableLayer[]): Promise<TableLayer[] | undefined> {
    return transaction.run(async (sql) => {
      const visible = await usableLayers(sql, new VisibilityCandidates(layers));
      if (visible.layers.length !== new Set(layers).size) return undefined;
      const readable: TableLayer[] = [];
      for (const layer of layers) readable.push(await readableLayer(sql, layer));
      return readable;
    });
  }

  /** Whether the role may use every one of these layers (asked only when a request about them failed). */
  async allVisible(transaction: RoleTransaction, layers: Layer[]): Promise<boolean> {
    const visible = await transaction.run((sql) => usableLayers(sql, new VisibilityCandidates(layers)));
    return visible.layers.length === new Set(layers).size;
  }
}

async function boundsOf(sql: SqlRunner, layer: TableLayer, postgisSchema: string): Promise<Bounds> {
  const [row] = await sql.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(layerBoundsSql(layer, postgisSchema), layerBoundsParams(layer));
  if (!row || ![row.xmin, row.ymin, row.xmax, row.ymax].every(Number.isFinite)) return WORLD_BOUNDS;
  return [row.xmin, row.ymin, row.xmax, row.ymax];
}

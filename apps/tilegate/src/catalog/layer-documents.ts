import type { TilegateConfig } from '@app/config';
import { layerPath } from '../http/public-url';
import { FunctionLayer, Layer, TableLayer } from './layer.types';

/** [west, south, east, north] in EPSG:4326. */
export type Bounds = [number, number, number, number];
export const WORLD_BOUNDS: Bounds = [-180, -85.0511287798066, 180, 85.0511287798066];

/** The JSON documents of the catalog, pg_tileserv-shaped. Pure: the controller supplies the base URL. */
export class LayerDocuments {
  constructor(
    private readonly config: TilegateConfig,
    private readonly baseUrl: string,
  ) {}

  index(layers: Layer[]): Record<string, unknown> {
    const entries = [...layers].sort((a, b) => a.id.localeCompare(b.id));
    return Object.fromEntries(
      entries.map((l) => [
        l.id,
        { type: l.kind, id: l.id, name: l.name, schema: l.schema, description: l.description, detailurl: `${this.baseUrl}/${layerPath(l.id)}.json` },
      ]),
    );
  }

  tileUrl(layer: Layer): string {
    return `${this.baseUrl}/${layerPath(layer.id)}/{z}/{x}/{y}.pbf`;
  }

  table(layer: TableLayer, bounds: Bounds): Record<string, unknown> {
    return {
      type: 'table',
      id: layer.id,
      schema: layer.schema,
      name: layer.name,
      description: layer.description,
      geometrytype: layer.geometryType,
      srid: layer.srid,
      idcolumn: layer.idColumn,
      properties: layer.properties,
      bounds,
      center: center(bounds),
      minzoom: this.config.defaultMinZoom,
      maxzoom: this.config.defaultMaxZoom,
      tileurl: this.tileUrl(layer),
    };
  }

  function(layer: FunctionLayer): Record<string, unknown> {
    return {
      type: 'function',
      id: layer.id,
      schema: layer.schema,
      name: layer.name,
      description: layer.description,
      arguments: layer.arguments.map((a) => ({ name: a.name, type: a.type, default: a.default })),
      minzoom: this.config.defaultMinZoom,
      maxzoom: this.config.defaultMaxZoom,
      tileurl: this.tileUrl(layer),
    };
  }

  /** TileJSON 3.0.0, as MapLibre and OpenLayers read it. */
  tileJson(layer: Layer, bounds: Bounds): Record<string, unknown> {
    // A table's fields are its columns; a function's are whatever it emits, unknown until called.
    const fields = layer.kind === 'table' ? Object.fromEntries(layer.properties.map((p) => [p.name, p.type])) : {};
    return {
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.description,
      scheme: 'xyz',
      tiles: [this.tileUrl(layer)],
      minzoom: this.config.defaultMinZoom,
      maxzoom: this.config.defaultMaxZoom,
      bounds,
      center: [...center(bounds), this.config.defaultMinZoom],
      vector_layers: [
        {
          id: layer.id,
          description: layer.description,
          minzoom: this.config.defaultMinZoom,
          maxzoom: this.config.defaultMaxZoom,
          fields,
        },
      ],
    };
  }
}

function center(bounds: Bounds): [number, number] {
  return [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
}

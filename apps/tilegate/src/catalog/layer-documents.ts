import { layerPath } from '../http/public-url';
import { FunctionArgument, FunctionLayer, Layer, TableLayer } from './layer.types';

/** [west, south, east, north] in EPSG:4326. */
export type Bounds = [number, number, number, number];
export const WORLD_BOUNDS: Bounds = [-180, -85.0511287798066, 180, 85.0511287798066];

/** The JSON documents of the catalog, pg_tileserv-shaped. Pure: the controller supplies the base URL. */
export class LayerDocuments {
  constructor(private readonly baseUrl: string) {}

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
      properties: layer.properties.map((p) => ({ name: p.name, type: p.type, description: p.description })),
      bounds,
      center: center(bounds),
      minzoom: layer.settings.minZoom,
      maxzoom: layer.settings.maxZoom,
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
      arguments: argumentsOf(layer.arguments),
      ...(layer.overloads.length > 1 ? { overloads: layer.overloads.map((o) => ({ arguments: argumentsOf(o.arguments) })) } : {}),
      minzoom: layer.settings.minZoom,
      maxzoom: layer.settings.maxZoom,
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
      minzoom: layer.settings.minZoom,
      maxzoom: layer.settings.maxZoom,
      bounds,
      center: [...center(bounds), layer.settings.minZoom],
      vector_layers: [
        {
          id: layer.id,
          description: layer.description,
          minzoom: layer.settings.minZoom,
          maxzoom: layer.settings.maxZoom,
          fields,
        },
      ],
    };
  }
}

function argumentsOf(args: FunctionArgument[]): Array<{ name: string; type: string; default: string | null }> {
  return args.map((a) => ({ name: a.name, type: a.type, default: a.default === null ? null : shownDefault(a.default) }));
}

/**
 * A default as pg_tileserv shows it: a quoted literal with its cast (`'school'::text`,
 * `'-123'::integer`) as its value (`school`, `-123`); any other expression as written.
 */
export function shownDefault(expression: string): string {
  const literal = /^'((?:[^']|'')*)'::[A-Za-z_][A-Za-z0-9_ ."[\]()]*$/.exec(expression);
  return literal ? literal[1].replace(/''/g, "'") : expression;
}

function center(bounds: Bounds): [number, number] {
  return [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
}

import type { FunctionLayer, Layer, TableLayer } from '../../catalog/layer.types';
import { goStruct, GoStructType } from './go-values';

/**
 * The values pg_tileserv executes its templates with, built from tilegate's layers. Field names,
 * order and json tags are pg_tileserv's (layer.go, layer_table.go, layer_proc.go), so `{{ . }}`
 * prints and marshals as it does there. Maps are keyed as there and ranged in sorted key order.
 *
 * index.html               map[ID]layerJSON{Type, ID, Name, Schema, Description, DetailURL}
 * preview-table.html       LayerTable{ID, Schema, Table, Description, Properties map[name]
 *                          TableProperty{Name, Type, Description}, GeometryType, IDColumn,
 *                          GeometryColumn, Srid}
 * preview-function.html    LayerFunction{ID, Schema, Function, Description, Arguments map[name]
 *                          FunctionArgument{Name, Type, Default}, MinZoom, MaxZoom, Tiles}
 *
 * Both layer structs also answer pg_tileserv's methods GetID, GetName, GetSchema and
 * GetDescription. Two differences, both additions: pg_tileserv never fills LayerFunction's
 * MinZoom, MaxZoom and Tiles (they print 0, 0 and ""); here they hold the default zooms and the
 * tile URL. And both previews answer DetailURL and TileURL (and the table MinZoom and MaxZoom),
 * hidden like methods so that printing the struct stays as in pg_tileserv, for templates that
 * want absolute links instead of pg_tileserv's relative `{{ .ID }}.json`.
 */
export interface IndexEntry {
  layer: Layer;
  /** The layer's advertised `{layer}.json` URL; the page links `.html` by replacing `.json`. */
  detailUrl: string;
}

export interface PreviewLinks {
  detailUrl: string;
  tileUrl: string;
  minZoom: number;
  maxZoom: number;
}

const LAYER_JSON: GoStructType = {
  name: 'main.layerJSON',
  json: { Type: 'type', ID: 'id', Name: 'name', Schema: 'schema', Description: 'description', DetailURL: 'detailurl' },
};
const LAYER_TABLE: GoStructType = { name: 'main.LayerTable' };
const TABLE_PROPERTY: GoStructType = { name: 'main.TableProperty', json: { Name: 'name', Type: 'type', Description: 'description' } };
const LAYER_FUNCTION: GoStructType = { name: 'main.LayerFunction' };
const FUNCTION_ARGUMENT: GoStructType = { name: 'main.FunctionArgument', json: { Name: 'name', Type: 'type', Default: 'default,omitempty' } };

export function indexData(entries: readonly IndexEntry[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const { layer, detailUrl } of entries) {
    map.set(
      layer.id,
      goStruct(LAYER_JSON, { Type: layer.kind, ID: layer.id, Name: layer.name, Schema: layer.schema, Description: layer.description, DetailURL: detailUrl }),
    );
  }
  return map;
}

function methods(layer: Layer, links: PreviewLinks): Record<string, unknown> {
  return { GetID: layer.id, GetName: layer.name, GetSchema: layer.schema, GetDescription: layer.description, DetailURL: links.detailUrl, TileURL: links.tileUrl };
}

export function tableData(layer: TableLayer, links: PreviewLinks): Record<string, unknown> {
  const properties = new Map(layer.properties.map((p) => [p.name, goStruct(TABLE_PROPERTY, { Name: p.name, Type: p.type, Description: p.description })]));
  return goStruct(
    LAYER_TABLE,
    {
      ID: layer.id,
      Schema: layer.schema,
      Table: layer.name,
      Description: layer.description,
      Properties: properties,
      GeometryType: layer.geometryType,
      IDColumn: layer.idColumn ?? '',
      GeometryColumn: layer.geometryColumn,
      Srid: layer.srid,
    },
    { ...methods(layer, links), MinZoom: links.minZoom, MaxZoom: links.maxZoom },
  );
}

export function functionData(layer: FunctionLayer, links: PreviewLinks): Record<string, unknown> {
  const args = new Map(layer.arguments.map((a) => [a.name, goStruct(FUNCTION_ARGUMENT, { Name: a.name, Type: a.type, Default: argumentDefault(a.default ?? '') })]));
  return goStruct(
    LAYER_FUNCTION,
    { ID: layer.id, Schema: layer.schema, Function: layer.name, Description: layer.description, Arguments: args, MinZoom: links.minZoom, MaxZoom: links.maxZoom, Tiles: links.tileUrl },
    methods(layer, links),
  );
}

/**
 * A default as pg_tileserv shows it (its parseArgDefault): `'-123'::integer` is `-123`, a quoted
 * value loses its quotes and cast; anything else is the expression as PostgreSQL prints it.
 */
export function argumentDefault(expression: string): string {
  const parts = expression.split('::');
  if (parts.length < 2) return expression;
  const value = parts.slice(0, -1).join('::');
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : expression;
}

import { escapeLiteral } from '@app/database';
import type { DWithinNode, GeometryLiteral, PropertyNode, SpatialNode } from './cql-ast';
import { FilterContext } from './filter-context';
import { InvalidFilterError, quoted } from './filter-error';
import { typedLiteral } from './literal-sql';
import { bboxGeometry, isPolygonal, latitudesInRange, wktText } from './wkt-text';

const FUNCTIONS: Record<SpatialNode['op'], string> = {
  intersects: 'ST_Intersects',
  equals: 'ST_Equals',
  disjoint: 'ST_Disjoint',
  touches: 'ST_Touches',
  within: 'ST_Within',
  overlaps: 'ST_Overlaps',
  crosses: 'ST_Crosses',
  contains: 'ST_Contains',
};

/** PostGIS has these for geography; S_DISJOINT is NOT ST_Intersects there. */
const GEOGRAPHY_OPS = new Set(['intersects', 'disjoint', 'dwithin']);

/**
 * `<postgis>.ST_Intersects(t."geom", <literal>)`, the literal brought into the column's SRID
 * (not the column into the literal's) so the column's GiST index answers the predicate.
 */
export function spatialSql(node: SpatialNode | DWithinNode, ctx: FilterContext): string {
  const onColumn = node.args.some((arg) => arg.kind === 'property');
  const columns = node.args.map((arg) => (arg.kind === 'property' ? geometryColumnSql(arg, ctx) : null));
  const geography = onColumn && ctx.target.geometryKind === 'geography';
  const op = node.kind === 'dwithin' ? 'dwithin' : node.op;
  if (geography && !GEOGRAPHY_OPS.has(op)) {
    throw InvalidFilterError.near(node.pos, `${op.toUpperCase()} is not available for the geography column ${quoted(ctx.target.geometryColumn)}; S_INTERSECTS, S_DISJOINT and DWITHIN are`);
  }
  const [a, b] = node.args.map((arg, i) => columns[i] ?? literalSql(arg as GeometryLiteral, ctx, onColumn, geography));
  const pg = ctx.postgis;
  if (node.kind === 'dwithin') {
    const distance = Number(node.distance.text);
    if (distance < 0) throw InvalidFilterError.near(node.distance.pos, `DWITHIN needs a distance of 0 or more, not ${node.distance.text}`);
    return `${pg}.ST_DWithin(${a}, ${b}, ${typedLiteral(node.distance.text, 'float8')})`;
  }
  if (geography && op === 'disjoint') return `NOT ${pg}.ST_Intersects(${a}, ${b})`;
  return `${pg}.${FUNCTIONS[node.op]}(${a}, ${b})`;
}

/** The geometry column, the only property a spatial function may name. */
function geometryColumnSql(arg: PropertyNode, ctx: FilterContext): string {
  const property = ctx.resolve(arg);
  if (property.kind !== 'geometry') {
    throw InvalidFilterError.near(arg.pos, `${property.what} is not a geometry; the layer's geometry is ${quoted(ctx.target.geometryColumn)}`);
  }
  return property.sql;
}

/**
 * The WKT we wrote ourselves from parsed numbers, as a geometry in the filter's SRID,
 * transformed to the column's; polygons through ST_MakeValid, so a self-intersecting ring
 * cannot make GEOS fail the whole tile.
 */
function literalSql(literal: GeometryLiteral, ctx: FilterContext, onColumn: boolean, geography: boolean): string {
  const pg = ctx.postgis;
  const filterSrid = Number(ctx.filterSrid);
  const geometry = literal.kind === 'bbox' ? bboxGeometry(literal, filterSrid === 4326) : literal;
  if (filterSrid === 4326 && !latitudesInRange(geometry)) {
    throw InvalidFilterError.near(literal.pos, 'a latitude is outside -90..90 (coordinates are longitude latitude, in filter-crs EPSG:4326)');
  }
  let sql = `${pg}.ST_GeomFromText(${escapeLiteral(wktText(geometry))}::pg_catalog.text, ${ctx.filterSrid})`;
  if (onColumn && ctx.filterSrid !== ctx.srid) sql = `${pg}.ST_Transform(${sql}, ${ctx.srid})`;
  if (literal.kind !== 'bbox' && isPolygonal(geometry)) sql = `${pg}.ST_MakeValid(${sql})`;
  return geography ? `${pg}.geography(${sql})` : sql;
}

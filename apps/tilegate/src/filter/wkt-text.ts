import type { BboxLiteral, Position2, WktGeometry } from './cql-ast';
import { InvalidFilterError } from './filter-error';

/**
 * WKT written back from parsed numbers: the text PostGIS reads is ours, whatever the filter's
 * spelling was (case, spaces, Z values, +signs, exponents).
 */
export function wktText(geometry: WktGeometry): string {
  switch (geometry.type) {
    case 'Point':
      return `POINT(${xy(geometry.coordinates)})`;
    case 'LineString':
      return `LINESTRING(${line(geometry.coordinates)})`;
    case 'MultiPoint':
      return `MULTIPOINT(${geometry.coordinates.map((p) => `(${xy(p)})`).join(',')})`;
    case 'Polygon':
      return `POLYGON(${rings(geometry.coordinates)})`;
    case 'MultiLineString':
      return `MULTILINESTRING(${rings(geometry.coordinates)})`;
    case 'MultiPolygon':
      return `MULTIPOLYGON(${geometry.coordinates.map((polygon) => `(${rings(polygon)})`).join(',')})`;
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION(${geometry.geometries.map(wktText).join(',')})`;
  }
}

function xy([x, y]: Position2): string {
  return `${number(x)} ${number(y)}`;
}

function line(points: Position2[]): string {
  return points.map(xy).join(',');
}

function rings(lines: Position2[][]): string {
  return lines.map((points) => `(${line(points)})`).join(',');
}

/** A finite double as WKT reads it: shortest round-trip form, no negative zero. */
function number(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite coordinate: ${value}`);
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * A bounding box as a polygon. With longitude/latitude, west > east crosses the antimeridian
 * (as CQL2 says): two boxes, one either side of it. In other CRSs it is refused.
 */
export function bboxGeometry(box: BboxLiteral, lonLat: boolean): WktGeometry {
  const { west, south, east, north, pos } = box;
  const rectangle = (w: number, e: number): Position2[][] => [[[w, south], [e, south], [e, north], [w, north], [w, south]]];
  if (west <= east) return { kind: 'geometry', type: 'Polygon', coordinates: rectangle(west, east), pos };
  if (!lonLat) throw InvalidFilterError.at(pos, `BBOX: west (${west}) is greater than east (${east})`);
  return { kind: 'geometry', type: 'MultiPolygon', coordinates: [rectangle(west, 180), rectangle(-180, east)], pos };
}

export function isPolygonal(geometry: WktGeometry): boolean {
  if (geometry.type === 'GeometryCollection') return geometry.geometries.some(isPolygonal);
  return geometry.type === 'Polygon' || geometry.type === 'MultiPolygon';
}

/** Every y within -90..90: PostGIS cannot transform a latitude beyond a pole. */
export function latitudesInRange(geometry: WktGeometry): boolean {
  return positions(geometry).every(([, y]) => y >= -90 && y <= 90);
}

function positions(geometry: WktGeometry): Position2[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'GeometryCollection':
      return geometry.geometries.flatMap(positions);
  }
}

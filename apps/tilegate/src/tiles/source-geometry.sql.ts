import { sqlInteger, sqlNumber } from '@app/database';
import type { CoordinateSystem } from '@app/config';

/**
 * The geometry handed to ST_AsMVTGeom, in the grid's SRID: the work PostgreSQL does per row, and
 * so most of a tile's cost.
 *
 * Points stored in longitude/latitude on a web mercator grid (the common case: GPS data) are
 * projected by the spherical mercator formula itself, which is what PROJ computes for EPSG:4326
 * to 3857 (to within 1e-8 m over the benchmark's million points), at a fraction of a PROJ call
 * per row: 15 % of PostgreSQL's time over the benchmark's point tiles.
 *
 * Everything else is transformed whole, as pg_tileserv does. Clipping lines and polygons in their
 * own SRID before the transform was measured and not kept: an edge that is straight in
 * longitude/latitude is curved in web mercator, so where a clip in the source SRID cuts it is not
 * where the transformed edge crosses the tile's edge (6 units inside a z14 tile for one Natural
 * Earth edge; a 4° border such as Chad–Libya's would be 5 units off at z5 and 40 at z8), and
 * neighbouring tiles would no longer meet. In the grid's own SRID, where the clip is exact,
 * ST_AsMVTGeom's own clip was as fast. Dropping vertices closer than a quarter pixel
 * (ST_RemoveRepeatedPoints) saved nothing on 1:50m outlines, since near the poles a quarter pixel
 * of latitude is tiny, and at half a pixel narrow inlets rounded away (see the README).
 */
export interface SourceGeometryInput {
  /** The geometry column (as geometry), e.g. `t."geom"`. */
  geometry: string;
  layerSrid: number;
  /** The column holds single points only (Point, in any dimension). */
  singlePoints: boolean;
  grid: CoordinateSystem;
  gridIsWebMercator: boolean;
  /** PostGIS's schema, quoted. */
  postgis: string;
}

const LONGITUDE_LATITUDE = 4326;
const EARTH_RADIUS = 6378137; // web mercator's sphere: WGS 84's semi-major axis

export function sourceGeometrySql(input: SourceGeometryInput): string {
  const { geometry, postgis: p } = input;
  if (input.singlePoints && input.layerSrid === LONGITUDE_LATITUDE && input.gridIsWebMercator) return webMercatorPointSql(geometry, p);
  return input.layerSrid === input.grid.srid ? geometry : `${p}.ST_Transform(${geometry}, ${sqlInteger(input.grid.srid)})`;
}

/**
 * A longitude/latitude point in web mercator metres, as PROJ's spherical mercator computes it
 * (x = R·λ, y = R·ln(tan(π/4 + φ/2)), λ and φ in radians). Every function and operator by schema.
 * An empty point has no X: the result is NULL, and ST_AsMVT skips it, as it skips the empty
 * point ST_Transform would give.
 */
export function webMercatorPointSql(geometry: string, postgis: string): string {
  // OPERATOR(...) spellings all share one precedence, left to right: every step is parenthesised.
  const times = (a: string, b: string) => `(${a} OPERATOR(pg_catalog.*) ${b})`;
  const plus = (a: string, b: string) => `(${a} OPERATOR(pg_catalog.+) ${b})`;
  const radians = (degrees: string) => times(degrees, sqlNumber(Math.PI / 180));
  const x = times(radians(`${postgis}.ST_X(${geometry})`), String(EARTH_RADIUS));
  const y = times(String(EARTH_RADIUS), `pg_catalog.ln(pg_catalog.tan(${plus(sqlNumber(Math.PI / 4), times(radians(`${postgis}.ST_Y(${geometry})`), '0.5'))}))`);
  return `${postgis}.ST_SetSRID(${postgis}.ST_MakePoint(${x}, ${y}), 3857)`;
}

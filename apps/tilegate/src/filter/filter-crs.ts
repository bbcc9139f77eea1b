import { InvalidParameterError, printable } from '@app/errors';

/** PostGIS keeps SRIDs above this for itself. */
const MAX_SRID = 998999;

const EPSG_PREFIXES = ['http://www.opengis.net/def/crs/EPSG/0/', 'https://www.opengis.net/def/crs/EPSG/0/', 'EPSG:', 'urn:ogc:def:crs:EPSG::'];
const CRS84 = ['CRS84', 'CRS84h', 'OGC:CRS84', 'OGC:CRS84h', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84'];
const CRS84_URI = /^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[0-9.]{1,5}\/CRS84h?$/i;

/**
 * The SRID of the filter's geometry literals (the `filter-crs` parameter). Absent or empty:
 * 4326. pg_tileserv takes a bare SRID (`filter-crs=3857`); OGC API clients send a CRS URI
 * (`http://www.opengis.net/def/crs/EPSG/0/3857`), a CURIE (`[EPSG:3857]`) or CRS84. Coordinates
 * are always x y (longitude latitude), the order PostGIS uses, whatever EPSG says of the axes.
 */
export function parseFilterCrs(text: string | undefined): number {
  if (text === undefined) return 4326;
  let crs = text.trim();
  if (crs === '') return 4326;
  if (crs.startsWith('[') && crs.endsWith(']')) crs = crs.slice(1, -1);
  if (CRS84.some((name) => name.toLowerCase() === crs.toLowerCase()) || CRS84_URI.test(crs)) return 4326;
  const prefix = EPSG_PREFIXES.find((p) => crs.toLowerCase().startsWith(p.toLowerCase()));
  const code = prefix === undefined ? crs : crs.slice(prefix.length);
  if (code.length >= 1 && code.length <= 6 && [...code].every((d) => d >= '0' && d <= '9')) {
    const srid = Number(code);
    if (srid >= 1 && srid <= MAX_SRID) return srid;
  }
  throw new InvalidParameterError(
    'filter-crs',
    `${JSON.stringify(printable(text, 60))} is not a coordinate reference system tilegate knows`,
    'use an EPSG code: 3857, EPSG:3857 or http://www.opengis.net/def/crs/EPSG/0/3857 (CRS84 is 4326)',
  );
}

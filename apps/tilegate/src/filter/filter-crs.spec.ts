import { InvalidParameterError } from '@app/errors';
import { parseFilterCrs } from './filter-crs';

describe('parseFilterCrs', () => {
  it('defaults to 4326', () => {
    expect(parseFilterCrs(undefined)).toBe(4326);
    expect(parseFilterCrs('')).toBe(4326);
  });

  it.each([
    ['3857', 3857], // pg_tileserv: filter-crs=SRID
    ['27700', 27700],
    ['EPSG:3857', 3857],
    ['epsg:4326', 4326],
    ['[EPSG:3857]', 3857],
    ['http://www.opengis.net/def/crs/EPSG/0/3857', 3857],
    ['https://www.opengis.net/def/crs/EPSG/0/27700', 27700],
    ['urn:ogc:def:crs:EPSG::3857', 3857],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 4326],
    ['http://www.opengis.net/def/crs/OGC/0/CRS84h', 4326],
    ['OGC:CRS84', 4326],
    ['[OGC:CRS84]', 4326],
    ['CRS84', 4326],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326],
  ])('%s is SRID %d', (text, srid) => {
    expect(parseFilterCrs(text)).toBe(srid);
  });

  it.each(['0', '-1', '999000', '1234567', '4326.0', 'EPSG:', 'EPSG:abc', 'http://example.com/EPSG/0/4326', 'WGS84', '4326; DROP TABLE x'])('refuses %j with a 400', (text) => {
    expect(() => parseFilterCrs(text)).toThrow(InvalidParameterError);
    expect(() => parseFilterCrs(text)).toThrow(/^parameter 'filter-crs': /);
  });
});

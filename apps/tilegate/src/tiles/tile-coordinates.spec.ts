import { parseTileCoordinates } from './tile-coordinates';

describe('parseTileCoordinates', () => {
  it('reads z/x/y with any extension, as pg_tileserv', () => {
    expect(parseTileCoordinates('3', '7', '0.pbf')).toEqual({ z: 3, x: 7, y: 0 });
    expect(parseTileCoordinates('30', '0', '1073741823.mvt')).toEqual({ z: 30, x: 0, y: 1073741823 });
    expect(parseTileCoordinates('2', '1', '3.png')).toEqual({ z: 2, x: 1, y: 3 });
    expect(parseTileCoordinates('02', '01', '03.pbf.gz')).toEqual({ z: 2, x: 1, y: 3 });
  });
  it.each([
    ['31', '0', '0.pbf', /z must be from 0 to 30/],
    ['2', '4', '0.pbf', /x must be from 0 to 3/],
    ['2', '0', '4.pbf', /y must be from 0 to 3/],
    ['2', '0', '99999999999999999999.pbf', /y must be from 0 to 3/],
  ])('answers %s/%s/%s with a 400 that names the part', (z, x, file, message) => {
    expect(() => parseTileCoordinates(z, x, file)).toThrow(message);
  });
  it.each([
    ['1e1', '0', '0.pbf'],
    ['2', ' 1', '0.pbf'],
    ['-1', '0', '0.pbf'],
    ['2', '0', '0'],
    ['2', '0', 'a.pbf'],
  ])('is no tile URL at all for %s/%s/%s (404)', (z, x, file) => {
    expect(() => parseTileCoordinates(z, x, file)).toThrow(/no such route/);
  });
});

import { parseTileCoordinates } from './tile-coordinates';

describe('parseTileCoordinates', () => {
  it('reads z/x/y.pbf and .mvt', () => {
    expect(parseTileCoordinates('3', '7', '0.pbf')).toEqual({ z: 3, x: 7, y: 0 });
    expect(parseTileCoordinates('30', '0', '1073741823.mvt')).toEqual({ z: 30, x: 0, y: 1073741823 });
  });
  it.each([
    ['31', '0', '0.pbf', /z must be from 0 to 30/],
    ['1e1', '0', '0.pbf', /z must be a whole number/],
    ['2', '4', '0.pbf', /x must be from 0 to 3/],
    ['2', '0', '4.pbf', /y must be from 0 to 3/],
    ['2', '0', '0.png', /\{y\}\.pbf or \{y\}\.mvt/],
    ['2', ' 1', '0.pbf', /x must be a whole number/],
  ])('refuses %s/%s/%s', (z, x, file, message) => {
    expect(() => parseTileCoordinates(z, x, file)).toThrow(message);
  });
});

import type { TilegateConfig } from '@app/config';
import { FunctionLayer, TableLayer } from '../catalog/layer.types';
import { parseTableTileParams } from './table-tile-params';
import { parseFunctionArgs } from './function-tile-args';

const config = { defaultResolution: 4096, defaultBuffer: 256, maxFeaturesPerTile: 1000 } as TilegateConfig;
const layer = { properties: [{ name: 'name' }, { name: 'pop' }] } as TableLayer;

describe('parseTableTileParams', () => {
  it("uses pg_tileserv's defaults", () => {
    expect(parseTableTileParams({}, [layer], config)).toEqual({ limit: 1000, resolution: 4096, buffer: 256, properties: null, filter: null, filterSrid: 4326 });
  });
  it('reads and bounds the values', () => {
    expect(parseTableTileParams({ limit: '5', resolution: '512', buffer: '0', properties: 'name, pop' }, [layer], config)).toEqual({ limit: 5, resolution: 512, buffer: 0, properties: ['name', 'pop'], filter: null, filterSrid: 4326 });
    expect(() => parseTableTileParams({ limit: '1001' }, [layer], config)).toThrow(/'limit': must be from 1 to 1000/);
    expect(() => parseTableTileParams({ buffer: '600', resolution: '512' }, [layer], config)).toThrow(/'buffer'/);
    expect(() => parseTableTileParams({ properties: 'nope' }, [layer], config)).toThrow(/no layer has a property named 'nope'/);
    expect(() => parseTableTileParams({ other: '1' }, [layer], config)).toThrow(/'other': not a parameter/);
  });
});

describe('parseFunctionArgs', () => {
  const fn = {
    arguments: [
      { name: 'n', type: 'integer', cast: '"pg_catalog"."int4"', default: '1' },
      { name: 'big', type: 'bigint', cast: '"pg_catalog"."int8"', default: '1' },
      { name: 'ratio', type: 'double precision', cast: '"pg_catalog"."float8"', default: '0.5' },
      { name: 'flag', type: 'boolean', cast: '"pg_catalog"."bool"', default: 'false' },
      { name: 'day', type: 'date', cast: '"pg_catalog"."date"', default: null },
    ],
  } as FunctionLayer;

  it('binds given arguments, leaves the rest to their defaults, and requires those without', () => {
    expect(parseFunctionArgs({ day: '2024-01-01', ratio: '-1.5e3' }, fn)).toEqual([
      { name: 'ratio', cast: '"pg_catalog"."float8"', value: '-1.5e3' },
      { name: 'day', cast: '"pg_catalog"."date"', value: '2024-01-01' },
    ]);
    expect(() => parseFunctionArgs({}, fn)).toThrow(/'day': required \(type date\)/);
  });
  it.each([
    [{ n: '2147483648' }, /'n': must be a whole number from -2147483648 to 2147483647/],
    [{ n: '1.5' }, /'n'/],
    [{ big: '9223372036854775808' }, /'big'/],
    [{ ratio: 'NaN' }, /'ratio': must be a number/],
    [{ flag: 'perhaps' }, /'flag': must be true or false/],
  ])('refuses %p', (query, message) => {
    expect(() => parseFunctionArgs({ day: '2024-01-01', ...query }, fn)).toThrow(message);
  });
});

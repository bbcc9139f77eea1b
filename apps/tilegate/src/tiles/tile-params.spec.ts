import type { TilegateConfig } from '@app/config';
import { FunctionLayer, TableLayer } from '../catalog/layer.types';
import { parseTableTileRequest, settingsFor } from './table-tile-params';
import { parseFunctionArgs } from './function-tile-args';
import { QueryParameters } from './query-values';

const config = { defaultResolution: 4096, defaultBuffer: 256, maxFeaturesPerTile: 1000 } as TilegateConfig;
const layer = { id: 'public.t', idColumn: 'id', properties: [{ name: 'id' }, { name: 'name' }, { name: 'pop' }], settings: {} } as TableLayer;
const lenient = (query: Record<string, string | string[]>) => new QueryParameters(query, false);
const strict = (query: Record<string, string | string[]>) => new QueryParameters(query, true);
const settings = (query: Record<string, string | string[]>, on = layer, conf = config) => settingsFor(on, parseTableTileRequest(lenient(query), conf), conf, false);

describe('table tile parameters, as pg_tileserv reads them', () => {
  it("uses pg_tileserv's defaults, with the id column also sent as a property", () => {
    expect(settings({})).toEqual({ limit: 1000, resolution: 4096, buffer: 256, columns: ['id', 'id', 'name', 'pop'] });
  });

  it('reads names in any case, and the first of repeated values', () => {
    expect(settings({ LIMIT: '5', Resolution: '512', buffer: ['0', '9'] })).toMatchObject({ limit: 5, resolution: 512, buffer: 0 });
  });

  it('clamps limit to MaxFeaturesPerTile, and takes 0 and negatives as the default', () => {
    expect(settings({ limit: '5000' }).limit).toBe(1000);
    expect(settings({ limit: '0' }).limit).toBe(1000);
    expect(settings({ limit: '-1' }).limit).toBe(1000);
    expect(settings({ limit: '5000' }, layer, { ...config, maxFeaturesPerTile: null }).limit).toBe(5000);
    expect(settings({}, layer, { ...config, maxFeaturesPerTile: null }).limit).toBeNull();
  });

  it('takes a negative buffer as the default, and bounds the buffer by the resolution', () => {
    expect(settings({ buffer: '-5' }).buffer).toBe(256);
    expect(settings({ buffer: '600', resolution: '512' }).buffer).toBe(512);
  });

  it('uses the layer settings over the server-wide ones', () => {
    const tuned = { ...layer, settings: { minZoom: 0, maxZoom: 22, limit: 10, buffer: 8, resolution: 512 } } as TableLayer;
    expect(settings({}, tuned)).toMatchObject({ limit: 10, buffer: 8, resolution: 512 });
    expect(settings({ limit: '50' }, tuned).limit).toBe(10);
  });

  it('sends the properties asked for that the layer has, and all when none of them is its', () => {
    expect(settings({ properties: 'name, nope' }).columns).toEqual(['name', 'id']);
    expect(settings({ properties: 'id,name' }).columns).toEqual(['id', 'name']);
    expect(settings({ properties: 'nope' }).columns).toEqual(['id', 'id', 'name', 'pop']);
    expect(settings({ properties: '' }).columns).toEqual(['id', 'id', 'name', 'pop']);
  });

  it('ignores parameters it does not know, such as cache-busters', () => {
    expect(settings({ v: '3', colour: 'red' }).limit).toBe(1000);
  });

  it.each([
    [{ limit: 'ten' }, /'limit': must be a whole number/],
    [{ resolution: '1.5' }, /'resolution': must be a whole number/],
    [{ resolution: '70000' }, /'resolution': must be at most 65536/],
    [{ buffer: 'wide' }, /'buffer'/],
  ])('still refuses a value that cannot be meant: %p', (query, message) => {
    expect(() => parseTableTileRequest(lenient(query), config)).toThrow(message);
  });

  it.each([
    [{ limit: '1001' }, /'limit': must be from 1 to 1000/],
    [{ limit: '0' }, /'limit': must be a positive/],
    [{ limit: ['1', '2'] }, /given more than once/],
    [{ buffer: '-1' }, /'buffer': must not be negative/],
  ])('is strict with StrictParameters: %p', (query, message) => {
    expect(() => parseTableTileRequest(strict(query), config)).toThrow(message);
  });

  it('refuses unknown properties with StrictParameters, naming the layer', () => {
    expect(() => settingsFor(layer, parseTableTileRequest(strict({ properties: 'nope' }), config), config, true)).toThrow(/public\.t has no property named 'nope'/);
  });
});

describe('parseFunctionArgs', () => {
  const args = [
    { name: 'n', type: 'integer', cast: '"pg_catalog"."int4"', default: '1' },
    { name: 'big', type: 'bigint', cast: '"pg_catalog"."int8"', default: '1' },
    { name: 'ratio', type: 'double precision', cast: '"pg_catalog"."float8"', default: '0.5' },
    { name: 'flag', type: 'boolean', cast: '"pg_catalog"."bool"', default: 'false' },
    { name: 'day', type: 'date', cast: '"pg_catalog"."date"', default: null },
  ];
  const fn = { arguments: args, overloads: [{ oid: 1, arguments: args }] } as FunctionLayer;

  it('binds given arguments (names in any case), leaves the rest to their defaults, requires those without, ignores others', () => {
    expect(parseFunctionArgs(lenient({ DAY: '2024-01-01', ratio: '-1.5e3', v: '2' }), fn)).toEqual([
      { name: 'ratio', cast: '"pg_catalog"."float8"', value: '-1.5e3' },
      { name: 'day', cast: '"pg_catalog"."date"', value: '2024-01-01' },
    ]);
    expect(() => parseFunctionArgs(lenient({}), fn)).toThrow(/'day': required \(type date\)/);
  });
  it.each([
    [{ n: '2147483648' }, /'n': must be a whole number from -2147483648 to 2147483647/],
    [{ n: '1.5' }, /'n'/],
    [{ big: '9223372036854775808' }, /'big'/],
    [{ ratio: 'NaN' }, /'ratio': must be a number/],
    [{ flag: 'perhaps' }, /'flag': must be true or false/],
  ])('refuses %p', (query, message) => {
    expect(() => parseFunctionArgs(lenient({ day: '2024-01-01', ...query }), fn)).toThrow(message);
  });

  it('picks the overload the arguments given fit, and says when they fit none or several', () => {
    const byName = [{ name: 'name', type: 'text', cast: '"pg_catalog"."text"', default: null }];
    const byId = [{ name: 'id', type: 'integer', cast: '"pg_catalog"."int4"', default: null }];
    const both = [{ name: 'flag', type: 'boolean', cast: '"pg_catalog"."bool"', default: 'true' }];
    const overloaded = { arguments: byName, overloads: [{ oid: 1, arguments: byName }, { oid: 2, arguments: byId }] } as FunctionLayer;
    expect(parseFunctionArgs(lenient({ id: '7' }), overloaded)).toEqual([{ name: 'id', cast: '"pg_catalog"."int4"', value: '7' }]);
    expect(parseFunctionArgs(lenient({ name: 'x' }), overloaded)).toEqual([{ name: 'name', cast: '"pg_catalog"."text"', value: 'x' }]);
    expect(() => parseFunctionArgs(lenient({}), overloaded)).toThrow(/no version of this function takes these arguments/);
    const ambiguous = { arguments: both, overloads: [{ oid: 1, arguments: both }, { oid: 2, arguments: both }] } as FunctionLayer;
    expect(() => parseFunctionArgs(lenient({}), ambiguous)).toThrow(/more than one version/);
  });
});

import type { FunctionLayer, Layer, TableLayer } from '../catalog/layer.types';
import { cachePolicy } from './cache-policy';

const table = (relkind: string, cache?: 'off' | 'role' | 'claims'): TableLayer => ({ kind: 'table', id: `public.${relkind}`, relkind, settings: { minZoom: 0, maxZoom: 22, cache } }) as unknown as TableLayer;
const fn = (cache?: 'off' | 'role' | 'claims'): FunctionLayer => ({ kind: 'function', id: 'public.fn', settings: { minZoom: 0, maxZoom: 22, cache } }) as unknown as FunctionLayer;
const facts = (layer: Layer, more: { rowSecurity?: boolean; watched?: boolean } = {}) => ({ layer, rowSecurity: false, watched: true, ...more });

describe('cachePolicy', () => {
  it('caches a watched plain table by role until invalidated', () => {
    expect(cachePolicy([facts(table('r'))], 0)).toEqual({ cacheable: true, byClaims: false, ttlSeconds: null });
  });

  it('caches an unwatched table only with a TTL', () => {
    expect(cachePolicy([facts(table('r'), { watched: false })], 0).cacheable).toBe(false);
    expect(cachePolicy([facts(table('r'), { watched: false })], 30)).toEqual({ cacheable: true, byClaims: false, ttlSeconds: 30 });
  });

  it.each([
    ['row level security', facts(table('r'), { rowSecurity: true })],
    ['a view', facts(table('v'))],
    ['a materialized view', facts(table('m'))],
    ['a foreign table', facts(table('f'))],
    ['a function', facts(fn())],
  ])('does not cache %s unless the configuration marks it', (_what, fact) => {
    expect(cachePolicy([fact], 60).cacheable).toBe(false);
  });

  it('caches a marked RLS table by claims, and a function only with a TTL', () => {
    expect(cachePolicy([facts(table('r', 'claims'), { rowSecurity: true })], 0)).toEqual({ cacheable: true, byClaims: true, ttlSeconds: null });
    expect(cachePolicy([facts(fn('claims'))], 0).cacheable).toBe(false);
    expect(cachePolicy([facts(fn('claims'))], 5)).toEqual({ cacheable: true, byClaims: true, ttlSeconds: 5 });
  });

  it('never caches a layer marked off, and one such layer turns off the whole tile', () => {
    expect(cachePolicy([facts(table('r', 'off'))], 60).cacheable).toBe(false);
    expect(cachePolicy([facts(table('r')), facts(table('p', 'off'))], 60).cacheable).toBe(false);
  });

  it('combines layers: claims if any needs them, the shortest lifetime', () => {
    expect(cachePolicy([facts(table('r')), facts(table('v', 'claims'), { watched: false })], 10)).toEqual({ cacheable: true, byClaims: true, ttlSeconds: 10 });
  });
});

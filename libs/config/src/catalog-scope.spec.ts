import { buildCatalogScope, globMatch, inCatalogScope } from './catalog-scope';
import type { CatalogScope } from './tilegate-config';

const scope = (s: Partial<CatalogScope>): CatalogScope => ({ includeSchemas: [], excludeSchemas: [], includeLayers: [], excludeLayers: [], ...s });

describe('globMatch', () => {
  it.each([
    ['public', 'public', true],
    ['public', 'Public', false],
    ['public', 'public2', false],
    ['*', '', true],
    ['*', 'anything.at.all', true],
    ['pub*', 'public', true],
    ['*lic', 'public', true],
    ['p*c', 'public', true],
    ['p*c', 'pc', true],
    ['p*x', 'public', false],
    ['*.roads', 'public.roads', true],
    ['*.roads', 'public.roads_old', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['**', 'x', true],
    ['a.b', 'aXb', false],
    ['(a+)+$', '(a+)+$', true],
  ])('%p matches %p: %p', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('takes no exponential time on patterns that ruin backtracking matchers', () => {
    const started = Date.now();
    expect(globMatch(`${'*a'.repeat(5000)}*b*`, 'a'.repeat(20000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('inCatalogScope', () => {
  it('offers everything with no lists', () => {
    expect(inCatalogScope(scope({}), 'public', 'public.roads')).toBe(true);
  });

  it('offers the union of the include lists', () => {
    const s = scope({ includeSchemas: ['public'], includeLayers: ['private.parcels'] });
    expect(inCatalogScope(s, 'public', 'public.roads')).toBe(true);
    expect(inCatalogScope(s, 'private', 'private.parcels')).toBe(true);
    expect(inCatalogScope(s, 'private', 'private.secrets')).toBe(false);
  });

  it('lets the exclude lists win', () => {
    expect(inCatalogScope(scope({ includeSchemas: ['public'], excludeLayers: ['public.*_old'] }), 'public', 'public.roads_old')).toBe(false);
    expect(inCatalogScope(scope({ includeLayers: ['tiger.*'], excludeSchemas: ['tiger*'] }), 'tiger', 'tiger.edges')).toBe(false);
    expect(inCatalogScope(scope({ excludeSchemas: ['tiger', 'topology'] }), 'public', 'public.roads')).toBe(true);
    expect(inCatalogScope(scope({ excludeSchemas: ['tiger', 'topology'] }), 'topology', 'topology.x')).toBe(false);
  });
});

describe('buildCatalogScope', () => {
  it('refuses an empty pattern, naming the key', () => {
    expect(() => buildCatalogScope({ IncludeSchemas: [], ExcludeSchemas: [''], IncludeLayers: [], ExcludeLayers: [] })).toThrow(/ExcludeSchemas: patterns must not be empty/);
  });
});

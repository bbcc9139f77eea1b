import { resolveUrlBase } from './url-base';

describe('resolveUrlBase', () => {
  // Every row of the UrlBase/BasePath table in the pg_tileserv notes (§5) that sets UrlBase, and more.
  it.each([
    ['http://example.com', '/', 'http://example.com'],
    ['http://example.com/', '/', 'http://example.com'],
    ['http://example.com/tiles', '/', 'http://example.com'],
    ['http://example.com/tiles/', '/', 'http://example.com'],
    ['http://example.com/tiles/', 'foo', 'http://example.com/tiles/foo'],
    ['http://example.com/tiles', 'foo', 'http://example.com/foo'],
    ['http://example.com/tiles', '/foo', 'http://example.com/foo'],
    ['http://example.com/tiles', '', 'http://example.com/tiles'],
    ['http://example.com/', '/tiles/', 'http://example.com/tiles'],
    ['http://example.com/', '/tiles', 'http://example.com/tiles'],
    ['https://maps.example.org:8443/a/b/', '../c', 'https://maps.example.org:8443/a/c'],
    ['//example.com/tiles/', 'foo', '//example.com/tiles/foo'],
    ['', '/tiles', ''],
  ])('UrlBase %p, BasePath %p: %p', (urlBase, basePath, expected) => {
    expect(resolveUrlBase(urlBase, basePath)).toEqual({ urlBase: expected });
  });

  it.each([
    ['example.com', '/'],
    ['example.com', '/tiles'],
    ['example.com/tiles', ''],
  ])('UrlBase %p without a scheme (BasePath %p): relative URLs for pg_tileserv, from the request here, with a warning', (urlBase, basePath) => {
    const resolved = resolveUrlBase(urlBase, basePath);
    expect(resolved.urlBase).toBe('');
    expect(resolved.warning).toMatch(/UrlBase "example.com.*" has no scheme/);
  });

  it('names UrlBase when it cannot be a base', () => {
    expect(() => resolveUrlBase('localhost:7800', '/')).toThrow(/UrlBase: is not an absolute URL/);
    expect(() => resolveUrlBase('http://exa mple.com', '/')).toThrow(/UrlBase: is not an absolute URL/);
  });
});

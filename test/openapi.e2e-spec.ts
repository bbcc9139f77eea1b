import { roleSwitching, serveTestDatabase } from './support/e2e-context';

describe('OpenAPI document and Swagger UI', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db));
  let spec: { openapi: string; paths: Record<string, Record<string, any>>; components: any };

  beforeAll(async () => {
    spec = await (await fetch(`${ctx.server.url}/docs-json`)).json();
  });

  it('is OpenAPI 3 and lists every endpoint the server answers', () => {
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths).sort()).toEqual(['/.well-known/jwks.json', '/auth/sign-in', '/auth/whoami', '/auth/{function}', '/health', '/health/ready', '/index.json', '/{document}', '/{layer}/tilejson.json', '/{layer}/{z}/{x}/{tile}'].sort());
  });

  it('declares bearer auth and uses it on role-dependent routes', () => {
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const path of ['/index.json', '/{document}', '/{layer}/tilejson.json', '/{layer}/{z}/{x}/{tile}']) {
      expect(spec.paths[path].get.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(spec.paths[path].get.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '503']));
    }
  });

  it('describes the tile as a binary MVT with its parameters and error codes', () => {
    const tile = spec.paths['/{layer}/{z}/{x}/{tile}'].get;
    expect(tile.responses['200'].content['application/vnd.mapbox-vector-tile'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(tile.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['buffer', 'filter', 'filter-crs', 'filter-lang', 'layer', 'limit', 'properties', 'resolution', 'tile', 'x', 'z']);
    expect(Object.keys(tile.responses)).toEqual(expect.arrayContaining(['304', '400', '404']));
    expect(spec.components.schemas.ErrorBody.required).toEqual(['code', 'message']);
  });

  it('matches what the server does: the documented example tile URL answers with an MVT', async () => {
    const tile = spec.paths['/{layer}/{z}/{x}/{tile}'].get;
    const example = Object.fromEntries(tile.parameters.filter((p: any) => p.in === 'path').map((p: any) => [p.name, p.schema.example]));
    const response = await fetch(`${ctx.server.url}/${example.layer}/${example.z}/${example.x}/${example.tile}`.replace('public.countries', 'public.places'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${ctx.server.url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});

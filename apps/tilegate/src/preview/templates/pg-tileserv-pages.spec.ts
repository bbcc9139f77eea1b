import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionLayer, Layer, TableLayer } from '../../catalog/layer.types';
import { argumentDefault } from './pg-tileserv-data';
import { PgTileservTemplates, PreviewLinks, TEMPLATE_FILES } from './pg-tileserv-pages';

const FIXTURES = join(__dirname, '../../../../../test/fixtures/pg_tileserv-assets');
const BASE = 'http://tiles.example.com';

const table = (name: string, extra: Partial<TableLayer> = {}): TableLayer => ({
  kind: 'table', id: `public.${name}`, oid: 1, schema: 'public', name, relkind: 'r', description: '', geometryColumn: 'geom', geometryAttnum: 9, geometryKind: 'geometry', geometryType: 'MultiPolygon',
  srid: 4326, idColumn: 'gid', properties: [], columnsFingerprint: '', settings: { minZoom: 0, maxZoom: 22 }, ...extra,
});
const roads = table('roads', { description: 'All the roads', properties: [{ name: 'surface', type: 'text', description: '', attnum: 1 }, { name: 'gid', type: 'int4', description: 'id', attnum: 2 }, { name: 'name', type: 'text', description: '', attnum: 3 }] });
const countries = table('countries');
const squares: FunctionLayer = {
  kind: 'function', id: 'public.squares', oid: 2, schema: 'public', name: 'squares', description: 'Squares of a given size',
  arguments: [{ name: 'depth', type: 'integer', cast: '"pg_catalog"."int4"', default: "'-2'::integer" }, { name: 'label', type: 'text', cast: '"pg_catalog"."text"', default: null }],
  overloads: [],
  settings: { minZoom: 0, maxZoom: 22 },
};
const entry = (layer: Layer) => ({ layer, detailUrl: `${BASE}/${encodeURIComponent(layer.id)}.json` });
const links = (layer: Layer): PreviewLinks => ({ detailUrl: `${BASE}/${layer.id}.json`, tileUrl: `${BASE}/${layer.id}/{z}/{x}/{y}.pbf`, minZoom: 0, maxZoom: 22 });

/** A folder holding pg_tileserv's templates, with some replaced or removed. */
function assets(files: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tilegate-assets-'));
  for (const file of Object.values(TEMPLATE_FILES)) if (!(file in files)) copyFileSync(join(FIXTURES, file), join(dir, file));
  for (const [file, text] of Object.entries(files)) if (text !== null) writeFileSync(join(dir, file), text);
  return dir;
}
const dirs: string[] = [];
const loadWith = (files: Record<string, string | null>) => {
  const dir = assets(files);
  dirs.push(dir);
  return PgTileservTemplates.load(dir);
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("PgTileservTemplates with pg_tileserv's shipped templates", () => {
  const pages = PgTileservTemplates.load(FIXTURES);

  it('lists table and function layers under their headings, sorted, each linking its .html preview and .json', () => {
    const html = pages.index([entry(squares), entry(roads), entry(countries)]);
    const [, tables, functions] = html.split(/<h2>(?:Table|Function) Layers<\/h2>/);
    const names = (part: string) => [...part.matchAll(/<strong class="layer-name">([^<]*)<\/strong>/g)].map((m) => m[1]);
    expect(names(tables)).toEqual(['public.countries', 'public.roads']);
    expect(names(functions)).toEqual(['public.squares']);
    expect(tables).toContain(`<strong class="layer-name">public.roads</strong> (<a href='${BASE}/public.roads.html'>preview</a> | <a href="${BASE}/public.roads.json">json</a>)`);
    expect(tables).toContain('<span class="layer-description">All the roads</span>');
    expect(functions).toContain(`<a href='${BASE}/public.squares.html'>preview</a> | <a href="${BASE}/public.squares.json">json</a>`);
    // As in Go's html/template, the commented-out stylesheet link is not sent.
    expect(html).not.toContain('<!--');
  });

  it('names a table layer and its properties (sorted, as Go ranges a map) in its preview', () => {
    const html = pages.table(roads, links(roads));
    expect(html).toContain('<title>pg_tileserv: public.roads</title>');
    expect(html).toContain('<h1>public.roads</h1>');
    expect(html).toContain('<p>All the roads</p>');
    expect(html).toContain('<p class="properties">gid name surface </p>');
    expect(html).toContain('$.getJSON("public.roads.json", function(layer) {');
    expect(pages.table(countries, links(countries))).not.toContain('class="properties"');
  });

  it('names a function layer in its preview', () => {
    const html = pages.fn(squares, links(squares));
    expect(html).toContain('<title>pg_tileserv: public.squares</title>');
    expect(html).toContain('<h1>public.squares</h1>\n    \n    <p>Squares of a given size</p>');
    expect(html).toContain('console.log("public.squares.json");');
  });

  it('keeps a hostile name and description inert on every page', () => {
    const evil = table('x"</script><script>alert(1)</script>', { id: 'public.x"</script><script>alert(1)</script>', description: '<img src=x onerror=alert(1)>' });
    const index = pages.index([{ layer: evil, detailUrl: 'javascript:alert(1)//.json' }]);
    const preview = pages.table(evil, links(evil));
    for (const html of [index, preview]) {
      expect(html).not.toMatch(/<script>alert|<img src=x/);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    expect(index).toContain("<a href='#ZgotmplZ'>preview</a> | <a href=\"#ZgotmplZ\">json</a>");
    expect(preview).toContain('$.getJSON("public.x\\u0022\\u003c\\/script\\u003e\\u003cscript\\u003ealert(1)\\u003c\\/script\\u003e.json"');
  });

  it('renders a 10,000-layer index in well under a second', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => entry(i % 10 ? table(`t${i}`, { description: `Layer number ${i} & co` }) : { ...squares, id: `public.f${i}`, name: `f${i}` }));
    const started = process.hrtime.bigint();
    const html = pages.index(many);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(html.match(/class="layer-name"/g)).toHaveLength(10_000);
    // The first render, JIT cold: about 250 ms under jest on a 2-core machine, 70 ms once warm.
    expect(ms).toBeLessThan(500);
  });
});

describe('the data pg_tileserv executes its templates with', () => {
  const dump = (file: string) => loadWith({ [file]: '<script>var v = {{ . }};</script>' });

  it('is shaped as pg_tileserv marshals it, field for field', () => {
    const json = (html: string) => JSON.parse(/var v = (.*);<\/script>/.exec(html)![1].trim());
    expect(json(dump(TEMPLATE_FILES.index).index([entry(roads)]))).toEqual({
      'public.roads': { type: 'table', id: 'public.roads', name: 'roads', schema: 'public', description: 'All the roads', detailurl: `${BASE}/public.roads.json` },
    });
    expect(Object.keys(json(dump(TEMPLATE_FILES.table).table(roads, links(roads))))).toEqual(['ID', 'Schema', 'Table', 'Description', 'Properties', 'GeometryType', 'IDColumn', 'GeometryColumn', 'Srid']);
    expect(json(dump(TEMPLATE_FILES.table).table(roads, links(roads))).Properties.gid).toEqual({ name: 'gid', type: 'int4', description: 'id' });
    expect(json(dump(TEMPLATE_FILES.fn).fn(squares, links(squares)))).toEqual({
      ID: 'public.squares', Schema: 'public', Function: 'squares', Description: 'Squares of a given size',
      Arguments: { depth: { name: 'depth', type: 'integer', default: '-2' }, label: { name: 'label', type: 'text' } },
      MinZoom: 0, MaxZoom: 22, Tiles: `${BASE}/public.squares/{z}/{x}/{y}.pbf`,
    });
  });

  it("answers pg_tileserv's methods and tilegate's link fields in a customised template", () => {
    const pages = loadWith({
      [TEMPLATE_FILES.table]: '{{ .GetName }} {{ .IDColumn }} {{ .Srid }} <a href="{{ .TileURL }}">{{ range $k, $p := .Properties }}{{ $p.Name }}:{{ $p.Type }} {{ end }}',
      [TEMPLATE_FILES.fn]: '{{ .Function }}({{ range .Arguments }}{{ .Name }} {{ .Type }}{{ with .Default }} = {{ . }}{{ end }}, {{ end }}) <a href="{{ .DetailURL }}">',
    });
    expect(pages.table(roads, links(roads))).toBe(`roads gid 4326 <a href="${BASE}/public.roads/%7bz%7d/%7bx%7d/%7by%7d.pbf">gid:int4 name:text surface:text `);
    expect(pages.fn(squares, links(squares))).toBe(`squares(depth integer = -2, label text, ) <a href="${BASE}/public.squares.json">`);
  });

  it.each([
    ["'-123'::integer", '-123'],
    ["'a::b'::text", 'a::b'],
    ['10', '10'],
    ['now()::date', 'now()::date'],
  ])('shows the default %s as %s, as pg_tileserv does', (expression, shown) => {
    expect(argumentDefault(expression)).toBe(shown);
  });
});

describe('PgTileservTemplates.load refuses a folder it cannot serve', () => {
  it('names a missing template file', () => {
    const dir = assets({ [TEMPLATE_FILES.table]: null });
    dirs.push(dir);
    expect(() => PgTileservTemplates.load(dir)).toThrow(`${join(dir, 'preview-table.html')} is missing: AssetsPath must hold index.html, preview-table.html, preview-function.html`);
  });

  it('names the file and line of a syntax error, an unknown function or an unescapable action', () => {
    expect(() => loadWith({ [TEMPLATE_FILES.index]: '<ul>\n{{ range . }}\n<li>{{ .ID | shout }}</li>\n{{ end }}' })).toThrow(/index\.html:3: function "shout" not defined/);
    expect(() => loadWith({ [TEMPLATE_FILES.fn]: '<h1>{{ .ID }</h1>' })).toThrow(/preview-function\.html:1: unexpected "}" in action/);
    expect(() => loadWith({ [TEMPLATE_FILES.table]: '<style>\n h1 { color: {{ .Color }} }</style>' })).toThrow(/preview-table\.html:2: \{\{ \.Color \}\} is inside a <style> element/);
    // sprig is index.html's only, as in pg_tileserv.
    expect(() => loadWith({ [TEMPLATE_FILES.table]: '{{ .ID | replace "." "/" }}' })).toThrow(/preview-table\.html:1: function "replace" not defined/);
  });

  it('finds a field pg_tileserv does not have by rendering a sample layer', () => {
    expect(() => loadWith({ [TEMPLATE_FILES.table]: '\n{{ .Name }}' })).toThrow(/preview-table\.html:2: executing: can't evaluate field Name in type main\.LayerTable \(found rendering a sample layer at start-up\)/);
  });
});

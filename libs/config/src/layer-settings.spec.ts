import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

const DB = 'postgresql://tilegate@localhost/gis';

function layers(toml: string, env: NodeJS.ProcessEnv = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'tilegate-layers-')), 'tilegate.toml');
  writeFileSync(path, `DbConnection = "${DB}"\n${toml}`);
  return loadConfig({ argv: ['--config', path], env }).layers;
}

describe('[[Layer]] tables', () => {
  it('reads every key, in any case, and leaves out what a table does not set', () => {
    const toml = `
[[Layer]]
Id = "public.roads"
MinZoom = 5
MaxZoom = 14
Properties = ["name", "kind"]
Limit = 2000
Buffer = 64
Resolution = 512
Cache = "Role"

[[Layer]]
id = "public.cities_by_name"
maxzoom = 10
`;
    expect(layers(toml)).toEqual([
      { id: 'public.roads', minZoom: 5, maxZoom: 14, properties: ['name', 'kind'], limit: 2000, buffer: 64, resolution: 512, cache: 'role' },
      { id: 'public.cities_by_name', maxZoom: 10 },
    ]);
  });

  it('is empty without tables', () => {
    expect(layers('')).toEqual([]);
  });

  it.each([
    ['[[Layer]]\nMinZoom = 3\n', /Layer\[0\]\.Id: every \[\[Layer\]\] needs an Id/],
    ['[[Layer]]\nId = "roads"\n', /Layer\[0\]\.Id \(Id "roads"\).*layer id/],
    ['[[Layer]]\nId = "public.a"\n[[Layer]]\nId = "public.b"\nMaxZum = 3\n', /Layer\[1\]\.MaxZum \(Id "public.b"\) \(from .*\): unknown key; known keys: Id, MinZoom/],
    ['[[Layer]]\nId = "public.a"\n[[Layer]]\nId = "public.a"\n', /Layer\[1\]\.Id \(Id "public.a"\): Layer\[0\] has the same Id/],
    ['[[Layer]]\nId = "public.a"\nMinZoom = 10\nMaxZoom = 5\n', /Layer\[0\]\.MinZoom .*MinZoom \(10\) must not exceed MaxZoom \(5\)/],
    ['[[Layer]]\nId = "public.a"\nMinZoom = 23\n', /Layer\[0\]\.MinZoom .*counting DefaultMinZoom\/DefaultMaxZoom/],
    ['[[Layer]]\nId = "public.a"\nMaxZoom = 31\n', /Layer\[0\]\.MaxZoom \(Id "public.a"\) .*between 0 and 30/],
    ['[[Layer]]\nId = "public.a"\nLimit = 0\n', /Layer\[0\]\.Limit .*at least 1/],
    ['[[Layer]]\nId = "public.a"\nBuffer = -1\n', /Layer\[0\]\.Buffer .*at least 0/],
    ['[[Layer]]\nId = "public.a"\nResolution = 0\n', /Layer\[0\]\.Resolution .*between 1 and 65536/],
    ['[[Layer]]\nId = "public.a"\nResolution = 70000\n', /Layer\[0\]\.Resolution .*between 1 and 65536/],
    ['[[Layer]]\nId = "public.a"\nCache = "always"\n', /Layer\[0\]\.Cache \(Id "public.a"\): must be one of "off", "role", "claims"/],
    ['[[Layer]]\nId = "public.a"\nProperties = [1]\n', /Layer\[0\]\.Properties .*list of strings/],
    ['[[Layer]]\nId = "public.a"\nProperties = [""]\n', /Layer\[0\]\.Properties .*must not be empty/],
    ['[Layer]\nId = "public.a"\n', /Layer \(from .*\): expected \[\[Layer\]\] tables, got a table/],
  ])('stops on %p', (toml, message) => {
    expect(() => layers(toml)).toThrow(message);
  });

  it('counts the server-wide zoom defaults in the order check', () => {
    expect(layers('DefaultMaxZoom = 25\n[[Layer]]\nId = "public.a"\nMinZoom = 23\n')).toEqual([{ id: 'public.a', minZoom: 23 }]);
  });

  it('cannot come from the environment: TS_LAYER is an unknown variable, as for pg_tileserv', () => {
    const config = loadConfig({ argv: [], env: { DATABASE_URL: DB, TS_LAYER: 'public.a' }, noFile: true });
    expect(config.layers).toEqual([]);
    expect(config.warnings).toEqual(['ignoring unknown environment variables: TS_LAYER']);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

/**
 * Configurations that start pg_tileserv, and what tilegate makes of them. The fixture is
 * config/pg_tileserv.toml.example from CrunchyData/pg_tileserv at cc7f57f (Apache-2.0), verbatim.
 */
const DB = 'postgresql://tilegate@localhost/gis';
const M = 20037508.3427892;
const EXAMPLE = readFileSync(join(__dirname, 'fixtures', 'pg_tileserv.toml.example'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'tilegate-pgts-'));

function fromToml(text: string, env: NodeJS.ProcessEnv = {}, argv: string[] = []) {
  const path = join(mkdtempSync(join(tmpdir(), 'tilegate-pgts-')), 'pg_tileserv.toml');
  writeFileSync(path, text);
  return loadConfig({ argv: ['--config', path, ...argv], env: { DATABASE_URL: DB, ...env } });
}
const fromEnv = (env: NodeJS.ProcessEnv, argv: string[] = []) => loadConfig({ argv, env: { DATABASE_URL: DB, ...env }, noFile: true });

/** The example with the "# Key = value" lines of its first part uncommented, and one [CoordinateSystem] block. */
function uncommented(block: 'mercator' | 'true mercator'): string {
  const mercatorAt = EXAMPLE.indexOf('# Default CS is Web Mercator');
  const trueMercatorAt = EXAMPLE.indexOf('# "True" Mercator');
  const [settings, mercator, trueMercator] = [EXAMPLE.slice(0, mercatorAt), EXAMPLE.slice(mercatorAt, trueMercatorAt), EXAMPLE.slice(trueMercatorAt)];
  const on = (text: string) => text.replace(/^# (\[?[A-Za-z]+\]?( = .*)?)$/gm, '$1');
  // The example's AssetsPath is a packaging path; here it must name a folder that exists.
  return on(settings).replace('"/usr/share/pg_tileserv/assets"', JSON.stringify(dir)) + on(block === 'mercator' ? mercator : trueMercator);
}

describe("pg_tileserv's configurations", () => {
  it('loads the shipped pg_tileserv.toml.example as the defaults', () => {
    const config = fromToml(EXAMPLE);
    expect(config).toEqual(fromEnv({}));
    expect(config.coordinateSystem).toEqual({ srid: 3857, xmin: -M, ymin: -M, xmax: M, ymax: M });
  });

  it('loads the example with its settings uncommented', () => {
    const config = fromToml(uncommented('mercator'));
    expect(config).toMatchObject({
      dbConnection: DB, // DATABASE_URL wins over DbConnection, as in pg_tileserv
      dbPoolMaxConnLifeTimeSeconds: 3600,
      assetsPath: dir,
      tls: { certFile: 'server.crt', keyFile: 'server.key' },
      urlBase: 'http://localhost',
      basePath: '/',
      maxFeaturesPerTile: 50000,
      corsOrigins: ['*'],
    });
    // A [CoordinateSystem] table with the default values starts exactly as no table.
    expect(config.coordinateSystem).toEqual(fromEnv({}).coordinateSystem);
    expect(fromToml(uncommented('true mercator')).coordinateSystem.srid).toBe(3395);
  });

  it.each([
    ['[CoordinateSystem]\nSRID = 4326\nXmin = -180\nYmin = -180\nXmax = 180\nYmax = 180\n', { srid: 4326, xmin: -180, ymin: -180, xmax: 180, ymax: 180 }],
    ['[coordinatesystem]\nsrid = 3395\n', { srid: 3395, xmin: -M, ymin: -M, xmax: M, ymax: M }],
    ['CoordinateSystem.SRID = 2056\nCoordinateSystem.Xmin = 0\nCoordinateSystem.Xmax = 100\nCoordinateSystem.Ymin = 0\nCoordinateSystem.Ymax = 100.5\n', { srid: 2056, xmin: 0, ymin: 0.25, xmax: 100, ymax: 100.25 }],
    ['CoordinateSystem = { SRID = "3857" }\n', { srid: 3857, xmin: -M, ymin: -M, xmax: M, ymax: M }],
  ])('reads [CoordinateSystem] %p', (toml, grid) => {
    expect(fromToml(toml).coordinateSystem).toEqual(grid);
  });

  it('reads CoordinateSystem keys from TS_COORDINATESYSTEM.SRID (viper) and TS_COORDINATESYSTEM_SRID, over the file', () => {
    expect(fromEnv({ 'TS_COORDINATESYSTEM.SRID': '3395' }).coordinateSystem.srid).toBe(3395);
    const grid = fromToml('[CoordinateSystem]\nSRID = 3395\n', { TS_COORDINATESYSTEM_SRID: '4326', TS_COORDINATESYSTEM_XMIN: '-180', TS_COORDINATESYSTEM_YMIN: '-180', TS_COORDINATESYSTEM_XMAX: '180', 'TS_COORDINATESYSTEM.YMAX': '180' }).coordinateSystem;
    expect(grid).toEqual({ srid: 4326, xmin: -180, ymin: -180, xmax: 180, ymax: 180 });
  });

  it.each([
    ['[CoordinateSystem]\nSRID = 4326\nXmin = -180\nYmin = -90\nXmax = 180\nYmax = 90\n', /CoordinateSystem: bounds must be square/],
    ['[CoordinateSystem]\nSRID = 0\n', /CoordinateSystem.SRID \(from .*\): must be between 1 and/],
    ['[CoordinateSystem]\nSRID = 3857.5\n', /CoordinateSystem.SRID .*whole number/],
    ['[CoordinateSystem]\nXmin = "west"\n', /CoordinateSystem.Xmin .*finite number/],
    ['[CoordinateSystem]\nXmin = nan\n', /CoordinateSystem.Xmin .*finite number/],
    ['[CoordinateSystem]\nZmin = 0\n', /CoordinateSystem.Zmin \(from .*\): unknown key; known keys: SRID, Xmin/],
    ['CoordinateSystem = 3857\n', /CoordinateSystem \(from .*\): expected a table/],
    // The hugo installation page's `CORSOrigins = *` is not TOML: pg_tileserv stops too.
    ['CORSOrigins = *\n', /--config: .* is not valid TOML/],
  ])('stops on %p', (toml, message) => {
    expect(() => fromToml(toml)).toThrow(message);
  });

  it.each([
    ['-1', null],
    ['0', null],
    ['-50', null],
    ['1', 1],
    ['20000000', 20000000],
  ])('MaxFeaturesPerTile %s is %p (<= 0: no limit)', (value, expected) => {
    expect(fromEnv({ TS_MAXFEATURESPERTILE: value }).maxFeaturesPerTile).toBe(expected);
  });

  it.each([['1', 1], ['65536', 65536], ['256', 256]])('DefaultResolution %s', (value, expected) => {
    expect(fromEnv({ TS_DEFAULTRESOLUTION: value }).defaultResolution).toBe(expected);
  });

  it.each([
    [{ TS_DEFAULTRESOLUTION: '0' }, /DefaultResolution .*between 1 and 65536/],
    [{ TS_DEFAULTRESOLUTION: '-4096' }, /DefaultResolution .*between 1 and 65536/],
    [{ TS_DEFAULTRESOLUTION: '65537' }, /DefaultResolution .*between 1 and 65536/],
    [{ TS_DEFAULTBUFFER: '-1' }, /DefaultBuffer .*at least 0/],
    [{ TS_HEALTHENDPOINT: 'health' }, /HealthEndpoint: must be a path starting with \//],
    [{ TS_HEALTHENDPOINT: '/health?x=1' }, /HealthEndpoint/],
    [{ TS_HEALTHENDPOINT: '/a b' }, /HealthEndpoint/],
    [{ TS_HEALTHENDPOINT: '/a//b' }, /HealthEndpoint/],
    [{ TS_HEALTHENDPOINT: '/%zz' }, /HealthEndpoint/],
    [{ TS_STRICTPARAMETERS: 'sometimes' }, /StrictParameters .*true or false/],
  ])('stops on %p', (env, message) => {
    expect(() => fromEnv(env)).toThrow(message);
  });

  it('reads HealthEndpoint, StrictParameters, AssetsPath and DefaultBuffer', () => {
    expect(fromEnv({}).healthEndpoint).toBe('/health');
    expect(fromEnv({}).assetsPath).toBe('');
    expect(fromEnv({ TS_HEALTHENDPOINT: "/_/health-check.v1~(ok)%20" }).healthEndpoint).toBe('/_/health-check.v1~(ok)%20');
    expect(fromEnv({ TS_STRICTPARAMETERS: 'true' }).strictParameters).toBe(true);
    expect(fromEnv({ TS_ASSETSPATH: dir }).assetsPath).toBe(dir);
    // A folder that is not there starts, as pg_tileserv starts: tilegate's own pages, and a warning.
    for (const missing of ['/no/such/assets', __filename]) {
      const config = fromEnv({ TS_ASSETSPATH: missing });
      expect(config.assetsPath).toBe('');
      expect(config.warnings.join('\n')).toContain(`AssetsPath: no folder at ${missing}`);
    }
    expect(fromEnv({ TS_DEFAULTBUFFER: '0' }).defaultBuffer).toBe(0);
    expect(fromEnv({ TS_DEFAULTBUFFER: '100000' }).defaultBuffer).toBe(100000);
  });

  it('takes DbPoolMaxConns <= 0 as the pool default, 4', () => {
    expect(fromEnv({ TS_DBPOOLMAXCONNS: '0' }).dbPoolMaxConns).toBe(4);
    expect(fromEnv({ TS_DBPOOLMAXCONNS: '-1' }).dbPoolMaxConns).toBe(4);
    expect(fromEnv({ TS_DBPOOLMAXCONNS: '16' }).dbPoolMaxConns).toBe(16);
  });

  it('reads environment values as viper does: empty is unset, booleans as strconv.ParseBool, CORSOrigins split on spaces', () => {
    expect(fromEnv({ TS_HTTPPORT: '', TS_BASEPATH: '' })).toMatchObject({ httpPort: 7800, basePath: '/' });
    expect(fromEnv({ TS_DEBUG: 'T', TS_SHOWPREVIEW: 'f' })).toMatchObject({ debug: true, showPreview: false });
    expect(fromEnv({ TS_CORSORIGINS: 'https://a.example https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(fromEnv({ TS_CORSORIGINS: 'https://a.example,https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lets --debug, --no-preview and --health win over the environment and the file (viper.Set)', () => {
    const config = fromToml('Debug = false\nShowPreview = true\nHealthEndpoint = "/from-file"\n', { TS_DEBUG: 'false', TS_SHOWPREVIEW: 'true', TS_HEALTHENDPOINT: '/from-env' }, ['-d', '-n', '-e', '/from-flag']);
    expect(config).toMatchObject({ debug: true, showPreview: false, healthEndpoint: '/from-flag' });
    expect(fromEnv({ TS_HEALTHENDPOINT: '/from-env' }, ['--health='])).toMatchObject({ healthEndpoint: '/from-env' });
    expect(() => fromEnv({}, ['--health=nope'])).toThrow(/HealthEndpoint/);
  });

  it('stops on command-line errors, naming them', () => {
    expect(() => fromEnv({}, ['--foo', '-c'])).toThrow(/command line: unknown option: --foo; missing parameter for -c/);
  });
});

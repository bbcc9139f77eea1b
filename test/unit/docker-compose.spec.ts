import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../libs/config/src';

const ROOT = join(__dirname, '..', '..');

/** There is no Docker engine here, so docker-compose.yml is checked by reading it. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));

  it('brings up PostGIS and tilegate, tilegate after PostGIS is healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgis', 'tilegate']);
    expect(compose.services.postgis.image).toMatch(/^postgis\/postgis:/);
    expect(compose.services.tilegate.depends_on.postgis.condition).toBe('service_healthy');
    expect(compose.services.tilegate.ports).toContain('7800:7800');
  });

  it('configures tilegate with settings it accepts', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.tilegate.environment as Record<string, string>).map(([k, v]) => [k, v.replace(/\$\{[^:}]+:-([^}]*)\}/, '$1')]),
    );
    const config = loadConfig({ argv: [], env, noFile: true });
    expect(config.jwt?.anonRole).toBe('anonymous_user');
    expect(config.httpPort).toBe(7800);
  });

  it('creates the authenticator and anonymous roles the tilegate service names', () => {
    const init = readFileSync(join(ROOT, 'docker', 'initdb', '10-tilegate-roles.sql'), 'utf8');
    const url = new URL(compose.services.tilegate.environment.DATABASE_URL);
    expect(init).toContain(`CREATE ROLE ${url.username} LOGIN NOINHERIT PASSWORD '${url.password}'`);
    expect(init).toContain(`GRANT ${compose.services.tilegate.environment.TS_ANONROLE} TO ${url.username}`);
  });

  it('runs the same entry point with the same node flags as npm start', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const cmd = /CMD \[(.+)\]/.exec(dockerfile)?.[1];
    const argv = JSON.parse(`[${cmd}]`) as string[];
    const start = (pkg.scripts.start as string).replace('$npm_package_config_nodeFlags', pkg.config.nodeFlags);
    expect(argv.join(' ')).toBe(start);
  });
});

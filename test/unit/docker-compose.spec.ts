import { readdirSync, readFileSync } from 'node:fs';
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
    expect(pkg.scripts.start).toBe('sh scripts/start.sh');
    const exec = /^exec (node .+) "\$@"$/m.exec(readFileSync(join(ROOT, 'scripts', 'start.sh'), 'utf8'))?.[1];
    expect(argv.join(' ')).toBe(exec?.replace('$npm_package_config_nodeFlags', pkg.config.nodeFlags));
  });

  it('sets the same malloc environment as npm start', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const dockerEnv = /^ENV (MALLOC_.+)$/m.exec(dockerfile)?.[1];
    expect(dockerEnv).toBe(pkg.config.mallocEnv);
  });
});

/** The same checks for the scaled-out file: two replicas sharing Redis behind nginx (docs/scaling.md). */
describe('docker-compose.scale.yml', () => {
  // `<<: *tilegate` merge keys, as Docker Compose reads them.
  const scale = parse(readFileSync(join(ROOT, 'docker-compose.scale.yml'), 'utf8'), { merge: true });
  const single = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
  const services = scale.services as Record<string, Record<string, any>>;
  const replicas = Object.keys(services).filter((name) => services[name].build !== undefined);
  const nginxConf = readFileSync(join(ROOT, 'docker', 'nginx-scale.conf'), 'utf8');
  const withDefaults = (environment: Record<string, string>) =>
    Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v.replace(/\$\{[^:}]+:-([^}]*)\}/, '$1')]));
  const configOf = (name: string) => loadConfig({ argv: [], env: withDefaults(services[name].environment), noFile: true });

  it('brings up PostGIS, Redis, two tilegate replicas and nginx, in its own compose project', () => {
    expect(Object.keys(services).sort()).toEqual(['nginx', 'postgis', 'redis', 'tilegate-a', 'tilegate-b']);
    expect(replicas.sort()).toEqual(['tilegate-a', 'tilegate-b']);
    // Another project name: `up` on this file never recreates docker-compose.yml's containers or volume.
    expect(scale.name).toBeTruthy();
    expect(scale.name).not.toBe(single.name);
  });

  it('builds both replicas from the Dockerfile, run with its CMD (the node flags of npm start, checked above)', () => {
    for (const name of replicas) {
      expect(services[name].build).toBe(single.services.tilegate.build);
      expect(services[name].command).toBeUndefined();
      expect(services[name].entrypoint).toBeUndefined();
      expect(services[name].image).toBeUndefined();
      expect(services[name].depends_on.postgis.condition).toBe('service_healthy');
      expect(services[name].healthcheck.test).toEqual(single.services.tilegate.healthcheck.test);
    }
  });

  it('configures both replicas alike, with settings tilegate accepts and no unknown TS_* variable', () => {
    const [a, b] = replicas;
    expect(services[a].environment).toEqual(services[b].environment);
    const config = configOf(a);
    expect(config.warnings).toEqual([]);
    expect(config.httpPort).toBe(7800);
    expect(config.jwt?.anonRole).toBe(single.services.tilegate.environment.TS_ANONROLE);
    expect(config.tileCache.maxBytes).toBeGreaterThan(0);
    expect(config.enableMetrics).toBe(true);
    // The login role and database of docker-compose.yml, whose init creates them (checked above).
    expect(services[a].environment.DATABASE_URL).toBe(single.services.tilegate.environment.DATABASE_URL);
  });

  it('points RedisUrl at the redis service, a bounded LRU cache with no persistence', () => {
    for (const name of replicas) {
      const url = new URL(configOf(name).tileCache.redisUrl);
      expect(url.protocol).toBe('redis:');
      expect(services[url.hostname]).toBe(services.redis);
      expect(url.port || '6379').toBe('6379');
      expect(services[name].depends_on.redis).toBeDefined();
      expect(configOf(name).tileCache.redisSecret).toBe(configOf(replicas[0]).tileCache.redisSecret);
    }
    const command = services.redis.command as string[];
    const option = (flag: string) => command[command.indexOf(flag) + 1];
    expect(services.redis.image).toMatch(/^redis:/);
    expect(option('--maxmemory')).toMatch(/^[1-9][0-9]*(mb|gb)$/);
    expect(option('--maxmemory-policy')).toBe('allkeys-lru');
    expect(option('--save')).toBe('');
    expect(option('--appendonly')).toBe('no');
    expect(services.redis.ports).toBeUndefined();
  });

  it('initialises PostGIS as docker-compose.yml does, then installs the invalidation triggers', () => {
    expect(services.postgis.image).toBe(single.services.postgis.image);
    expect(services.postgis.environment).toEqual(single.services.postgis.environment);
    const initMounts = (services.postgis.volumes as string[])
      .map((volume) => volume.split(':'))
      .filter(([, target]) => target.startsWith('/docker-entrypoint-initdb.d/'))
      .map(([source, target]) => ({ source: source.replace(/^\.\//, ''), script: target.slice('/docker-entrypoint-initdb.d/'.length) }));
    // Every init script of docker/initdb, so one added there is not silently left out here.
    for (const file of readdirSync(join(ROOT, 'docker', 'initdb'))) {
      expect(initMounts.map((m) => m.source)).toContain(`docker/initdb/${file}`);
    }
    const invalidation = initMounts.find((m) => m.source === 'sql/tile-cache-invalidation.sql');
    expect(invalidation).toBeDefined();
    // The entrypoint runs them in name order: the roles first.
    const roles = initMounts.find((m) => m.source === 'docker/initdb/10-tilegate-roles.sql');
    expect([roles!.script, invalidation!.script].sort()).toEqual([roles!.script, invalidation!.script]);
    expect(services.postgis.healthcheck.test).toContain('pg_isready');
  });

  it('puts nginx on port 7800, after both replicas are ready', () => {
    expect(services.nginx.image).toMatch(/^nginx:/);
    expect(services.nginx.ports).toEqual(['7800:7800']);
    expect(services.nginx.volumes).toContain('./docker/nginx-scale.conf:/etc/nginx/conf.d/default.conf:ro');
    for (const name of replicas) expect(services.nginx.depends_on[name].condition).toBe('service_healthy');
    expect(nginxConf).toMatch(/^\s*listen 7800;/m);
  });

  it('has nginx upstream to both replicas with keep-alive connections tilegate does not close first', () => {
    const upstream = /upstream (\w+) \{([^}]*)\}/.exec(nginxConf);
    expect(upstream).not.toBeNull();
    const [, name, body] = upstream!;
    const servers = [...body.matchAll(/^\s*server ([\w.-]+):(\d+)[^;]*;/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(servers.sort()).toEqual(replicas.map((replica) => `${replica}:${configOf(replica).httpPort}`).sort());
    expect(nginxConf).toContain(`proxy_pass http://${name};`);
    expect(Number(/^\s*keepalive (\d+);/m.exec(body)?.[1])).toBeGreaterThan(0);
    // Keep-alive to an upstream needs HTTP/1.1 and an empty Connection header.
    expect(nginxConf).toMatch(/^\s*proxy_http_version 1\.1;/m);
    expect(nginxConf).toMatch(/^\s*proxy_set_header Connection "";/m);
    const idle = /^\s*keepalive_timeout (\d+)s;/m.exec(body)?.[1];
    expect(Number(idle)).toBeLessThan(configOf(replicas[0]).httpIdleTimeoutSeconds);
  });
});

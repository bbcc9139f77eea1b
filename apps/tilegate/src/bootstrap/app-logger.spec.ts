import { loadConfig } from '@app/config';
import { configSecrets } from './app-logger';

describe('configSecrets', () => {
  it('masks a Redis password given as a query parameter', () => {
    const env = { DATABASE_URL: 'postgresql://db/gis', TS_REDISURL: 'redis://cache:6379/0?password=query-pass-1', TS_REDISSECRET: 'a-redis-secret-of-at-least-32-characters' };
    expect(configSecrets(loadConfig({ argv: [], noFile: true, env }))).toContain('query-pass-1');
  });

  it('masks the database password, the JWT secret, RedisSecret and the Redis password', () => {
    const config = loadConfig({
      argv: [],
      noFile: true,
      env: {
        DATABASE_URL: 'postgresql://tilegate:db%2Fpass@db/gis',
        TS_JWTSECRET: 'a-jwt-secret-that-is-long-enough-for-hs256',
        TS_REDISURL: 'redis://tiles:redis%40pass@cache:6379/0',
        TS_REDISSECRET: 'a-redis-secret-of-at-least-32-characters',
      },
    });
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining(['db/pass', 'a-jwt-secret-that-is-long-enough-for-hs256', 'a-redis-secret-of-at-least-32-characters', 'redis@pass', 'redis%40pass']),
    );
  });
});

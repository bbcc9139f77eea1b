import { parseConnectionString } from './connection-options';

describe('parseConnectionString', () => {
  it('passes URLs through', () => {
    expect(parseConnectionString('postgresql://u:p@h:5433/db')).toEqual({ url: 'postgresql://u:p@h:5433/db' });
  });
  it('reads libpq key=value strings, as pg_tileserv accepts', () => {
    expect(parseConnectionString("user=you host=localhost dbname=yourdb port=5433 password='a b\\'c'")).toEqual({
      username: 'you',
      host: 'localhost',
      database: 'yourdb',
      port: 5433,
      password: "a b'c",
    });
  });
  it('names DbConnection when it cannot be read', () => {
    expect(() => parseConnectionString('nonsense')).toThrow(/DbConnection/);
    expect(() => parseConnectionString('port=abc')).toThrow(/DbConnection: port/);
  });
});

import { describeConnection, parseConnectionString } from './connection-options';

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

describe('describeConnection', () => {
  it('leaves the password (and query options, which may hold one) out', () => {
    expect(describeConnection(parseConnectionString('postgresql://u:secret@h:5433/db?password=x'))).toBe('postgresql://u@h:5433/db');
    expect(describeConnection(parseConnectionString("user=you host=replica password='s e' dbname=gis port=5433", 'DbReadConnection'))).toBe('postgresql://you@replica:5433/gis');
  });
  it('names DbReadConnection for a replica that cannot be read', () => {
    expect(() => parseConnectionString('nonsense', 'DbReadConnection')).toThrow(/DbReadConnection/);
  });
});

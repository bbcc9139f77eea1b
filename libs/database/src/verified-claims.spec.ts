import { topLevelMembers, topLevelScalars, verifiedClaims } from './verified-claims';

describe('topLevelScalars', () => {
  it('keeps numbers exactly as written, whatever a double would make of them', () => {
    const json = '{"org": 9007199254740993, "big": 123456789012345678901234567890, "tiny": 1e-400, "huge": 1e400, "d": 0.10000000000000000001}';
    expect(topLevelScalars(json)).toEqual([
      ['org', '9007199254740993'],
      ['big', '123456789012345678901234567890'],
      ['tiny', '1e-400'],
      ['huge', '1e400'],
      ['d', '0.10000000000000000001'],
    ]);
  });

  it('decodes strings, keeps booleans, skips null, objects and arrays, the last repeat winning', () => {
    const json = '{ "s":"a\\"b\\\\c\\u00e9", "t":true, "f":false, "n":null, "o":{"x":[1,"}"]}, "a":["]",{}], "s2":"x", "s2":"y" }';
    expect(topLevelScalars(json)).toEqual([
      ['s', 'a"b\\cé'],
      ['t', 'true'],
      ['f', 'false'],
      ['s2', 'y'],
    ]);
  });

  it('reads an empty object and refuses what is not an object', () => {
    expect(topLevelScalars('{}')).toEqual([]);
    expect(() => topLevelScalars('[1]')).toThrow(SyntaxError);
    expect(() => topLevelScalars('{"a": 1')).toThrow(SyntaxError);
  });
});

describe('verifiedClaims', () => {
  it('keeps the payload text itself for request.jwt.claims', () => {
    const json = '{"sub":"u","org":9007199254740993}';
    const claims = verifiedClaims(json, JSON.parse(json));
    expect(claims.json).toBe(json);
    expect(claims.scalars).toEqual([['sub', 'u'], ['org', '9007199254740993']]);
  });

  it('makes settings only for keys that can be setting names, and refuses NUL', () => {
    const json = '{"ok_key":"v","bad.key":"v","bad key":"v","1st":"v"}';
    expect(verifiedClaims(json, JSON.parse(json)).scalars).toEqual([['ok_key', 'v']]);
    expect(() => verifiedClaims('{"s":"a\\u0000b"}', { s: 'a\u0000b' })).toThrow(/NUL/);
  });

  it('reads a long hostile payload in linear time', () => {
    const json = `{"a":"${'\\\\'.repeat(100000)}","n":${'9'.repeat(100000)}}`;
    const started = process.hrtime.bigint();
    expect(verifiedClaims(json, {}).scalars).toHaveLength(2);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });
});

describe('topLevelMembers', () => {
  it('gives each member with its value as written', () => {
    expect(topLevelMembers('{"role":"r", "n":9007199254740993,"o":{"a":[1,"}"]},"z":null}')).toEqual([
      ['role', '"r"'],
      ['n', '9007199254740993'],
      ['o', '{"a":[1,"}"]}'],
      ['z', 'null'],
    ]);
    expect(topLevelMembers('{}')).toEqual([]);
  });
});

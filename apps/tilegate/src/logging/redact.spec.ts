import { hasThreeDottedRuns, isSecretKeyName, mayHoldSecret, redactSecrets } from './redact';

// A real HS256 token's shape (header {"alg":"HS256","typ":"JWT"}).
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ3ZWJfdXNlciJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('redactSecrets', () => {
  describe('tokens', () => {
    it.each([
      [`token ${JWT} refused`, 'token *** refused'],
      [`unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. end`, 'unsigned *** end'],
      [`jwe eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn`, 'jwe ***'],
      ['any header abcdefghij.klmnopqrst.uvwxyz0123', 'any header ***'],
    ])('masks anything shaped like a JWT: %s', (input, expected) => {
      expect(redactSecrets(input)).toBe(expected);
    });

    it('masks bearer tokens, opaque or not', () => {
      expect(redactSecrets('got Bearer abcdefgh12345678== from x')).toBe('got Bearer *** from x');
      expect(redactSecrets(`bearer ${JWT}`)).toBe('bearer ***');
    });

    it.each([
      ['Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
      ['authorization=Basic dXNlcjpwYXNz', 'authorization=Basic ***'],
      ['{"authorization":"Bearer opaque"}', '{"authorization":"Bearer ***"}'],
      ["{ authorization: 'Token xyz' }", "{ authorization: 'Token ***' }"],
      ['Proxy-Authorization: Digest username=a, response=b', 'Proxy-Authorization: Digest ***'],
      ['cookie: session=abc; other=def', 'cookie: ***'],
      ['X-Api-Key: k123', 'X-Api-Key: ***'],
    ])('masks credential header values: %s', (input, expected) => {
      expect(redactSecrets(input)).toBe(expected);
    });
  });

  describe('passwords', () => {
    it.each([
      ['postgresql://tilegate:s3cret@db:5432/gis', 'postgresql://tilegate:***@db:5432/gis'],
      ['postgres://:only-password@db/gis', 'postgres://:***@db/gis'],
      ['postgresql://u:p@ss:w@rd@db/gis?sslmode=require', 'postgresql://u:***@db/gis?sslmode=require'],
      ['cannot connect (postgresql://u:pw@db) now', 'cannot connect (postgresql://u:***@db) now'],
      ['redis://user:pw@cache:6379', 'redis://user:***@cache:6379'],
    ])('masks the password of a connection URL: %s', (input, expected) => {
      expect(redactSecrets(input)).toBe(expected);
    });

    it('leaves URLs without a password alone', () => {
      const text = 'serving http://localhost:7800/index.json, postgresql://tilegate@db/gis, http://host:80/a@b';
      expect(redactSecrets(text)).toBe(text);
    });

    it.each([
      ['host=db password=s3cret dbname=gis', 'host=db password=*** dbname=gis'],
      ["host=db password='with spaces and \\' quote' dbname=gis", "host=db password=*** dbname=gis"],
      ['password = "quoted"', 'password = ***'],
      ['PGPASSWORD=s3cret psql', 'PGPASSWORD=*** psql'],
      ['JwtSecret = "abc"', 'JwtSecret = ***'],
      ['/tiles/a/1/2/3.pbf?token=abc&layer=x', '/tiles/a/1/2/3.pbf?token=***&layer=x'],
      ['?password=a&b&c=d', '?password=***&c=d'],
      ['access_token=abc', 'access_token=***'],
      ['pwd=x', 'pwd=***'],
    ])('masks key=value secrets (libpq, query strings, env): %s', (input, expected) => {
      expect(redactSecrets(input)).toBe(expected);
    });

    it.each([
      ['{"password":"s3cret","user":"u"}', '{"password":"***","user":"u"}'],
      ["{ host: 'db', password: 's3cret' }", "{ host: 'db', password: '***' }"],
      ['{"clientSecret": "a\\"b"}', '{"clientSecret": "***"}'],
    ])('masks quoted values of secret keys (JSON, util.inspect): %s', (input, expected) => {
      expect(redactSecrets(input)).toBe(expected);
    });
  });

  it('leaves ordinary log text alone', () => {
    for (const text of [
      'connected; pool of up to 10 connections',
      'the bearer token is missing',
      'token: expired',
      'the token has expired',
      'GET /tiles/:layers/:z/:x/:y.pbf 200',
      'layer public.roads and public.buildings_2024',
      'client 10.1.2.3 version 1.2.3',
      'max_tokens=5 password_file=/run/pw',
      'invalid WWW-Authenticate: Bearer realm="tilegate"',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  describe('runs in linear time', () => {
    const size = 100_000;
    const adversarial: Array<[string, string]> = [
      ['one long word', 'a'.repeat(size)],
      ['base64url without dots', 'eyJ' + 'a'.repeat(size)],
      ['three-part near misses', 'aaaaaaaaaa.aaaaaaaaaa.!'.repeat(size / 23)],
      ['short dotted parts', 'a.'.repeat(size / 2)],
      ['scheme without //', 'a:'.repeat(size / 2)],
      ['URL userinfo without @', 'a://b:' + 'x'.repeat(size)],
      ['repeated schemes', 'a://:'.repeat(size / 5)],
      ['a key and no value', 'password' + ' '.repeat(size)],
      ['repeated keys', 'passwordpassword'.repeat(size / 16) + '='],
      ['unterminated quote', "password='" + '\\x'.repeat(size / 2)],
      ['query ampersands', 'token=a' + '&x'.repeat(size / 2)],
      ['header and spaces', 'authorization:' + ' '.repeat(size)],
      ['bearer and spaces', 'bearer bearer '.repeat(size / 14)],
      ['quoted colon values', '"token": "' + 'a\\'.repeat(size / 2)],
      ['many tokens', `${JWT} `.repeat(size / 160)],
    ];

    it.each(adversarial)('%s (100 KB) in < 50 ms', (_name, input) => {
      redactSecrets(input.slice(0, 1000)); // compile and warm up
      const started = performance.now();
      redactSecrets(input);
      mayHoldSecret(input);
      expect(performance.now() - started).toBeLessThan(50);
    });
  });
});

describe('mayHoldSecret', () => {
  it('is true for every kind of secret redactSecrets removes and false for plain lines', () => {
    for (const text of ['Bearer abcdefghijk', JWT, 'postgresql://u:p@h', 'password=x', 'Authorization: x', 'cookie: x', 'secret']) {
      expect(mayHoldSecret(text)).toBe(true);
    }
    expect(mayHoldSecret('{"level":"info","msg":"GET /index.json 200","status":200}')).toBe(false);
  });

  it('finds three dotted base64url runs exactly where the expression would', () => {
    const expression = /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;
    for (const text of ['aaaaaaaaaa.bbbbbbbbbb.cccccccccc', 'x aaaaaaaaaa.bbbbbbbbbb.ccccccccc', 'aaaaaaaaaa..bbbbbbbbbb.cccccccccc', 'é-_Az09aaaaa.b-_Az09bbbb.c-_Az09cccc', 'aaaaaaaaa.bbbbbbbbbb.cccccccccc.dddddddddd']) {
      expect([text, hasThreeDottedRuns(text)]).toEqual([text, expression.test(text)]);
    }
    // Random runs of 7 to 12 base64url characters, joined by a dot mostly, two dots, a space or a
    // non-ASCII letter: every boundary (9, 10, 11 characters; one dot or two) is met many times.
    let seed = 7;
    const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
    const letters = 'aZ9_-';
    const joins = ['.', '.', '.', '..', ' ', 'é'];
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      let text = random(2) ? '' : joins[random(joins.length)];
      for (let part = 0, parts = 1 + random(5); part < parts; part++) {
        if (part > 0) text += joins[random(joins.length)];
        for (let i = 0, length = 7 + random(6); i < length; i++) text += letters[random(letters.length)];
      }
      const expected = expression.test(text);
      if (expected) found++;
      expect([text, hasThreeDottedRuns(text)]).toEqual([text, expected]);
    }
    expect(found).toBeGreaterThan(500);
  });
});

describe('isSecretKeyName', () => {
  it('recognises field names that hold secrets', () => {
    for (const key of ['password', 'dbPassword', 'token', 'access_token', 'authorization', 'cookie', 'jwtSecret', 'apiKey', 'x-api-key']) {
      expect(isSecretKeyName(key)).toBe(true);
    }
    for (const key of ['msg', 'role', 'sub', 'route', 'status', 'tokens_used']) expect(isSecretKeyName(key)).toBe(false);
  });
});

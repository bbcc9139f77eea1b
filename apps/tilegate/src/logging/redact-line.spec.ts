import { lineRedactor } from './redact-line';

const line = (fields: object): string => `${JSON.stringify(fields)}\n`;

describe('lineRedactor', () => {
  const redact = lineRedactor(['db-password-"quoted"', 'short']);

  it('returns lines that cannot hold a secret as they are', () => {
    const plain = '{"level":"info","time":"2025-01-01T00:00:00.000Z","msg":"GET /index.json 200","status":200}\n';
    expect(redact(plain)).toBe(plain);
  });

  it('redacts every string at any depth, keeps everything else', () => {
    const out = JSON.parse(
      redact(line({ level: 'error', msg: 'cannot connect to postgresql://u:pw@db/gis', status: 503, err: { stack: 'Error: password=x\n    at f' }, list: ['Bearer abcdefghijkl'] })),
    );
    expect(out).toEqual({ level: 'error', msg: 'cannot connect to postgresql://u:***@db/gis', status: 503, err: { stack: 'Error: password=***\n    at f' }, list: ['Bearer ***'] });
  });

  it('masks the whole value of a field named like a secret', () => {
    const out = JSON.parse(redact(line({ msg: 'x', token: 'opaque', headers: { authorization: 'whatever', accept: '*/*' }, dbPassword: 1234 })));
    expect(out).toEqual({ msg: 'x', token: '***', headers: { authorization: '***', accept: '*/*' }, dbPassword: '***' });
  });

  it('masks known secrets wherever they appear, even with characters JSON escapes', () => {
    const out = JSON.parse(redact(line({ msg: 'login failed with db-password-"quoted" as the password' })));
    expect(out.msg).toBe('login failed with *** as the password');
  });

  it('leaves known secrets too short to mask safely to the patterns', () => {
    expect(JSON.parse(redact(line({ msg: 'a short message' }))).msg).toBe('a short message');
  });

  it('ends every line it rewrites with a newline', () => {
    expect(redact(line({ msg: 'password=x' }))).toMatch(/\}\n$/);
  });
});

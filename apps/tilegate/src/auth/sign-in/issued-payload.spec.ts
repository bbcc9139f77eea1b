import type { TokenIssuing } from '@app/config';
import { issuedPayload } from './issued-payload';

const issuing = { ttlSeconds: 3600 } as TokenIssuing;
const none = { issuer: null, audience: [] };

describe('issuedPayload', () => {
  it("keeps the row's fields as written and adds iat and exp from the TTL", () => {
    const { text, exp } = issuedPayload('{"role":"r","org":9007199254740993,"exp":null}', 1000, issuing, none);
    expect(text).toBe('{"role":"r","org":9007199254740993,"iat":1000,"exp":4600}');
    expect(exp).toBe(4600);
  });

  it("takes the row's exp as seconds, or a timestamp converted", () => {
    expect(issuedPayload('{"exp":2000}', 1000, issuing, none).exp).toBe(2000);
    expect(issuedPayload('{"exp":"1970-01-01T00:33:20+00:00"}', 1000, issuing, none).exp).toBe(2000);
    expect(() => issuedPayload('{"exp":"soon"}', 1000, issuing, none)).toThrow(/not a timestamp/);
  });

  it('sets iss and aud from the configuration over the row, and never keeps a row iat', () => {
    const { text } = issuedPayload('{"iss":"row","aud":"row","iat":1,"sub":"s"}', 10, issuing, { issuer: 'https://tiles.example', audience: ['maps'] });
    expect(JSON.parse(text)).toEqual({ sub: 's', iat: 10, exp: 3610, iss: 'https://tiles.example', aud: 'maps' });
  });
});

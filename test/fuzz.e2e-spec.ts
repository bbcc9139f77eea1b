import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { rawToken, token } from './support/tokens';
import { decodeTile } from './support/mvt';

/** A small seeded generator, so a failure can be replayed with the seed it prints. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** A raw HTTP request, so paths and headers go out as written (fetch would normalise them). */
function send(base: string, path: string, headers: Record<string, string>): Promise<Answer | undefined> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = httpRequest(`${base}${path}`, { headers, timeout: 10000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
      });
    } catch {
      // Node itself refuses the request line (a control character): nothing reached the server.
      resolve(undefined);
      return;
    }
    req.on('timeout', () => reject(new Error(`no answer within 10 s: ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Thousands of random paths, parameters, headers and tokens against the real server: no 5xx, no
 * hang, error bodies in the contract's shape, and every tile that says who made it was made as
 * the role its request was entitled to.
 */
describe('fuzz', () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db, { DbPoolMaxConns: 4, DbTimeout: 20 }));
  const seed = Number(process.env.TILEGATE_FUZZ_SEED ?? Date.now() % 100000);

  it(`answers 3,000 random requests well (seed ${seed})`, async () => {
    const r = random(seed);
    const roles = ctx.db.roles;
    const now = Math.floor(Date.now() / 1000);
    const identities: Array<{ header?: string; role: string | null }> = [
      { role: roles.anon },
      { header: `Bearer ${token({ role: roles.member, sub: 'm' })}`, role: roles.member },
      { header: `Bearer ${token({ role: roles.analyst })}`, role: roles.analyst },
      { header: `Bearer ${token({ sub: 'no-role' })}`, role: roles.anon },
      { header: `Bearer ${token({ role: 'none' })}`, role: null },
      { header: `Bearer ${token({ role: roles.authenticator })}`, role: null },
      { header: `Bearer ${token({ role: 'pg_read_all_data' })}`, role: null },
      { header: `Bearer ${rawToken(`{"role":"${roles.member}","org":9007199254740993,"exp":${now + 600}}`)}`, role: roles.member },
      { header: `Bearer ${token({ role: roles.member }, {}, 'another-secret-that-is-long-enough-000000')}`, role: null },
      { header: 'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoicG9zdGdyZXMifQ.', role: null },
      { header: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', role: null },
      { header: `Bearer ${'x'.repeat(3000)}`, role: null },
    ];
    const layers = ['public.places', 'public.member_only', 'public.member_fn', 'public.kinds', 'public.scaled', 'public.claims_seen', 'public.tenant_rows', 'public.secrets', 'public.nothing', 'shared.official', 'public.by_regclass', 'public.looks_up', `${roles.analyst}.calls`];
    const hostile = ["'", '"', ';', '--', '%00', '%ff', '%', '..%2F', '\\', '%22%3B', 'é', '日本', '%F0%9F%92%A9', '__proto__', 'constructor', '<script>', ' ', '%20', '*', ','];
    const text = (max: number) => Array.from({ length: r.int(max) }, () => r.pick([...hostile, 'a', '1', '.', '-'])).join('');
    const number = () => r.pick(['0', '1', '-1', '30', '31', '1e3', '1.5', '', 'abc', '99999999999999999999', String(r.int(2 ** 31)), '0x10', '+1', '１']);
    const layerPart = () => (r.chance(0.7) ? Array.from({ length: 1 + r.int(r.chance(0.1) ? 30 : 3) }, () => r.pick(layers)).join(',') : r.chance(0.5) ? text(40) : r.pick(layers) + text(5));
    const paramNames = ['limit', 'LIMIT', 'resolution', 'buffer', 'properties', 'filter', 'filter-crs', 'kind', 'level', 'factor', 'name', 'rel', 'r', 'v', '__proto__', 'constructor', text(8)];
    const query = () =>
      r.chance(0.4)
        ? ''
        : `?${Array.from({ length: 1 + r.int(4) }, () => `${r.pick(paramNames)}=${r.pick([number(), text(30), r.chance(0.02) ? 'x'.repeat(5000) : 'city', "name='London'", 'id>1'])}`).join('&')}`;
    const path = () => {
      switch (r.int(8)) {
        case 0:
          return `/${layerPart()}.json${query()}`;
        case 1:
          return `/${layerPart()}/tilejson.json`;
        case 2:
          return r.pick(['/index.json', '/', '/index.html', '/health', '/health/ready', '/docs', '/docs-json', '/metrics', `/assets/${r.pick(['common.js', '__proto__', text(10)])}`, `/${layerPart()}.html`]);
        case 3:
          return `/${text(20)}/${text(5)}/${text(5)}/${text(5)}`;
        default:
          return `/${layerPart()}/${number()}/${number()}/${number()}.${r.pick(['pbf', 'mvt', 'png', 'pbf.gz', ''])}${query()}`;
      }
    };

    const problems: string[] = [];
    let served = 0;
    for (let batch = 0; batch < 3000 / 20; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const identity = r.pick(identities);
          const headers: Record<string, string> = {};
          if (identity.header) headers.Authorization = identity.header;
          if (r.chance(0.2)) headers['X-Forwarded-Host'] = r.pick(['maps.example', text(20), 'évil']);
          if (r.chance(0.1)) headers['If-None-Match'] = r.pick(['*', '"x"', text(10)]);
          if (r.chance(0.1)) headers['Accept-Encoding'] = r.pick(['gzip', 'br;q=0, gzip;q=0', text(10)]);
          let p = path();
          const claims = r.chance(0.15);
          if (claims) {
            // The probe whose answer says which role made it (a 304 would say nothing).
            p = `/public.claims_seen/0/0/0.pbf`;
            delete headers['If-None-Match'];
          }
          const answer = await send(ctx.server.url, p, headers).catch((err: Error) => {
            problems.push(`${p}: ${err.message}`);
            return undefined;
          });
          if (!answer) return;
          served++;
          if (answer.status >= 500) problems.push(`${answer.status} for ${p}: ${answer.body.toString().slice(0, 200)}`);
          if (answer.ms > 5000) problems.push(`${answer.ms} ms for ${p}`);
          const type = String(answer.headers['content-type'] ?? '');
          if (answer.status >= 400 && type.startsWith('application/json')) {
            const body = JSON.parse(answer.body.toString());
            const keys = Object.keys(body).filter((k) => !['code', 'message', 'details', 'hint'].includes(k));
            if (keys.length > 0 || typeof body.code !== 'string') problems.push(`body shape for ${p}: ${answer.body.toString().slice(0, 200)}`);
            if (/SELECT|ST_AsMVT|node_modules|\bat \//.test(answer.body.toString())) problems.push(`leak in ${p}`);
          }
          if (claims && answer.status === 200) {
            const bytes = answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body;
            const seenRole = decodeTile(bytes)['public.claims_seen']?.[0]?.properties.role;
            if (seenRole !== identity.role) problems.push(`claims_seen made as ${String(seenRole)} for a request entitled to ${String(identity.role)}`);
          }
          if (claims && answer.status !== 200 && identity.role !== null) problems.push(`claims_seen ${answer.status} for ${String(identity.role)}`);
          if (claims && answer.status === 200 && identity.role === null) problems.push('claims_seen served to a refused identity');
        }),
      );
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(served).toBeGreaterThan(2500);
    // None of the attacker's look-alike functions ran, however the requests came.
    const [calls] = await ctx.db.admin<{ is_called: boolean }>(`SELECT is_called FROM "${roles.analyst}".calls`);
    expect(calls.is_called).toBe(false);
  });
});

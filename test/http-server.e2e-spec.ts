import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/free-port';
import { connect } from 'node:net';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { startServerProcess } from './support/server-process';
import { TEST_SECRET, token } from './support/tokens';

/** What a raw socket receives for `raw` (a whole request, written as it is). */
function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let received = '';
    socket.on('data', (d) => (received += d));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));

describe('the HTTP server', () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db, { HttpIdleTimeout: 1 }));
  const port = () => Number(new URL(ctx.server.url).port);

  it('closes an idle keep-alive connection after HttpIdleTimeout', async () => {
    const started = Date.now();
    const response = await rawExchange(port(), 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(3);
  });

  it.each([
    ['headers over 16 KB', `GET /index.json HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`, 431, 'request_header_fields_too_large'],
    ['a bad percent-encoding', 'GET /public.places/%E0%A4%A/0/0.pbf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
    ['not HTTP at all', 'HELLO THERE\r\n\r\n', 400, 'bad_request'],
    ['an unknown route', 'GET /a/b/c/d/e/f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'not_found'],
  ])('answers %s with the contract body', async (_what, raw, status, code) => {
    const response = await rawExchange(port(), raw);
    expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    const body = bodyOf(response);
    expect(Object.keys(body).sort()).toEqual(['code', 'message']);
    expect(body.code).toBe(code);
  });
});

describe('graceful shutdown of the built server', () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db));
  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: ctx.db.authenticatorUrl,
    TS_JWTSECRET: TEST_SECRET,
    TS_ANONROLE: ctx.db.roles.anon,
    TS_LOGFORMAT: 'json',
    ...extra,
  });

  it('finishes requests in flight, refuses new ones with the contract 503, and exits 0', async () => {
    const server = await startServerProcess(env());
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${server.url}${path}`, { agent }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    // A keep-alive connection opened before the signal...
    expect((await get('/health')).status).toBe(200);
    const second = new Agent({ keepAlive: true, maxSockets: 1 });
    await new Promise<void>((resolve) => httpRequest(`${server.url}/health`, { agent: second }, (res) => res.resume().on('end', resolve)).end());
    const inFlight = fetch(`${server.url}/public.slow/0/0/0.pbf?seconds=1.5`);
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    // ...asks again while the server drains: the contract's 503, and the connection is closed.
    const refused = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/index.json`, { agent: second }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(refused.status).toBe(503);
    expect(Object.keys(JSON.parse(refused.body)).sort()).toEqual(['code', 'message']);
    expect(refused.connection).toBe('close');
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toBe(0);
    agent.destroy();
    second.destroy();
  });

  it('exits after ShutdownTimeout even while a request still runs', async () => {
    const server = await startServerProcess(env({ TS_SHUTDOWNTIMEOUT: '1' }));
    const slow = fetch(`${server.url}/public.slow/0/0/0.pbf?seconds=20`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000);
    await slow;
  });
});

describe("the built server's logs", () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db));

  it('writes one JSON access line per request, with the request id sent back, and no token or password', async () => {
    const server = await startServerProcess({
      DATABASE_URL: ctx.db.authenticatorUrl.replace('@', ':a-database-password@'),
      TS_JWTSECRET: TEST_SECRET,
      TS_ANONROLE: ctx.db.roles.anon,
      TS_LOGFORMAT: 'json',
    });
    try {
      const jwt = token({ role: ctx.db.roles.member, sub: 'user-7' });
      const tile = await fetch(`${server.url}/public.places/0/0/0.pbf`, { headers: { Authorization: `Bearer ${jwt}`, 'X-Request-Id': 'trace-123' } });
      expect(tile.status).toBe(200);
      await fetch(`${server.url}/public.places/0/0/0.pbf?token=${jwt}`);
      expect(tile.headers.get('x-request-id')).toBe('trace-123');
      const hostileId = await fetch(`${server.url}/public.nothing/0/0/0.pbf`, { headers: { 'X-Request-Id': 'bad id\twith "quotes"' } });
      expect(hostileId.status).toBe(404);
      expect(hostileId.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((r) => setTimeout(r, 200));
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      const access = lines.filter((l) => l.context === 'Access');
      const tileLine = access.find((l) => l.request_id === 'trace-123');
      expect(tileLine).toMatchObject({ level: 'info', method: 'GET', status: 200, role: ctx.db.roles.member, sub: 'user-7' });
      expect(tileLine.route).toMatch(/:layer/);
      expect(typeof tileLine.duration_ms).toBe('number');
      expect(tileLine.bytes).toBeGreaterThan(0);
      expect(access.find((l) => l.status === 404)).toMatchObject({ level: 'info', role: ctx.db.roles.anon, sub: null });
      for (const line of lines) expect(typeof line.time).toBe('string');
      const text = server.output();
      expect(text).not.toContain(jwt.split('.')[2]);
      expect(text).not.toContain('a-database-password');
      expect(text).not.toContain(TEST_SECRET);
    } finally {
      await server.stop();
    }
  });
});

describe("pg_tileserv's command line and HTTP with HTTPS", () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db));
  const env = () => ({ DATABASE_URL: ctx.db.authenticatorUrl, TS_JWTSECRET: TEST_SECRET, TS_ANONROLE: ctx.db.roles.anon, TS_LOGFORMAT: 'json' });

  it('takes --no-preview and --health, and warns once about unknown TS_* variables', async () => {
    const server = await startServerProcess({ ...env(), TS_NODE_PROJECT: 'x', TS_SOMETHING_ELSE: 'y' }, '/alive', ['--no-preview', '--health=/alive']);
    try {
      expect((await fetch(`${server.url}/alive`)).status).toBe(200);
      expect((await fetch(`${server.url}/`)).status).toBe(404);
      expect((await fetch(`${server.url}/index.json`)).status).toBe(404);
      expect((await fetch(`${server.url}/public.places/0/0/0.pbf`)).status).toBe(200);
      const warnings = server.output().split('\n').filter((l) => l.includes('unknown environment variables'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('TS_NODE_PROJECT, TS_SOMETHING_ELSE');
    } finally {
      await server.stop();
    }
  });

  it('serves HTTP and HTTPS at the same time when both TLS files are set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tilegate-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const httpsPort = await freePort();
    const server = await startServerProcess({ ...env(), TS_TLSSERVERCERTIFICATEFILE: join(dir, 'cert.pem'), TS_TLSSERVERPRIVATEKEYFILE: join(dir, 'key.pem'), TS_HTTPSPORT: String(httpsPort) });
    try {
      expect((await fetch(`${server.url}/public.places/0/0/0.pbf`)).status).toBe(200);
      const status = await new Promise<number>((resolve, reject) =>
        httpsGet(`https://127.0.0.1:${httpsPort}/public.places/0/0/0.pbf`, { rejectUnauthorized: false }, (res) => resolve(res.resume().statusCode ?? 0)).on('error', reject),
      );
      expect(status).toBe(200);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

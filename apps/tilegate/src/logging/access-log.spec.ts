import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import fastify, { FastifyInstance } from 'fastify';
import { setRequestRole, verifiedClaims } from '@app/database';
import { accessLoggedFrameworkErrors, attachAccessLog } from './access-log';
import { createLogger } from './create-logger';
import { LogCapture } from './log-capture';
import { requestIdOptions } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ3ZWJfdXNlciJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('attachAccessLog', () => {
  let app: FastifyInstance;
  let out: LogCapture;
  let release: () => void = () => undefined;
  let slowStarted = false;

  beforeEach(async () => {
    out = new LogCapture();
    const logger = createLogger({ format: 'json', level: 'info', destination: out });
    app = fastify({
      ...requestIdOptions(),
      // As create-app does: Fastify's own refusals answered by our code.
      frameworkErrors: accessLoggedFrameworkErrors((_err, _request, reply) => void reply.code(400).send({ code: 'bad_request' }), logger),
    });
    attachAccessLog(app, logger);
    app.get('/layers/:name.json', async (request) => ({ name: (request.params as { name: string }).name }));
    app.get('/fail', async (_request, reply) => reply.code(500).send({ code: 'internal_error' }));
    app.get('/busy', async (_request, reply) => reply.code(503).send({ code: 'unavailable' }));
    app.get('/stream', async (_request, reply) => reply.type('text/plain').send(Readable.from(['ab', 'cdé'])));
    app.get('/whoami', { preHandler: async (request) => setRequestRole(request, { kind: 'switch', role: 'web_user', claims: verifiedClaims('{"sub":"alice"}', { sub: 'alice' }) }) }, async () => 'ok');
    slowStarted = false;
    app.get('/slow', () => {
      slowStarted = true;
      return new Promise<string>((resolve) => (release = () => resolve('late')));
    });
    await app.ready();
  });

  afterEach(async () => {
    release();
    await app.close();
  });

  it('writes one line per request with the route template, never the URL', async () => {
    const response = await app.inject({ method: 'GET', url: '/layers/public.roads.json?limit=5' });
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      context: 'Access',
      method: 'GET',
      route: '/layers/:name.json',
      status: 200,
      duration_ms: expect.any(Number),
      bytes: Number(response.headers['content-length']),
      role: null,
      sub: null,
      request_id: response.headers['x-request-id'],
      remote_addr: '127.0.0.1',
      msg: 'GET /layers/:name.json 200',
    });
    expect(lines[0].bytes).toBeGreaterThan(0);
    expect(String(lines[0].duration_ms)).toMatch(/^\d+(\.\d)?$/);
    expect(out.text).not.toMatch(/public\.roads|limit/);
  });

  it('takes the role and the token sub from what the guard recorded', async () => {
    await app.inject({ method: 'GET', url: '/whoami' });
    expect(out.lines()[0]).toMatchObject({ route: '/whoami', role: 'web_user', sub: 'alice' });
  });

  it('logs 4xx at info, 503 at warn, other 5xx at error, each one line without a stack', async () => {
    await app.inject({ method: 'GET', url: '/no/such/route' });
    await app.inject({ method: 'GET', url: '/busy' });
    await app.inject({ method: 'GET', url: '/fail' });
    const lines = out.lines();
    expect(lines.map((line) => [line.level, line.route, line.status])).toEqual([
      ['info', 'unmatched', 404],
      ['warn', '/busy', 503],
      ['error', '/fail', 500],
    ]);
    for (const line of lines) expect(line).not.toHaveProperty('stack');
  });

  it("logs Fastify's own refusals too, with a request id", async () => {
    const response = await app.inject({ method: 'GET', url: '/layers/%E0%A4%A.json?token=abc', headers: { 'x-request-id': 'bad url' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(out.lines()).toEqual([
      expect.objectContaining({ route: 'unmatched', status: 400, bytes: Number(response.headers['content-length']), request_id: response.headers['x-request-id'] }),
    ]);
    expect(out.text).not.toContain('token');
  });

  it('counts the bytes of a streamed body, and none for HEAD', async () => {
    await app.inject({ method: 'GET', url: '/stream' });
    await app.inject({ method: 'HEAD', url: '/layers/a.json' });
    expect(out.lines().map((line) => [line.method, line.bytes])).toEqual([
      ['GET', 6],
      ['HEAD', 0],
    ]);
  });

  describe('request ids', () => {
    it('uses a valid X-Request-Id from the caller and sends it back', async () => {
      const response = await app.inject({ method: 'GET', url: '/layers/a.json', headers: { 'x-request-id': 'lb-7f3a.91:x_y' } });
      expect(response.headers['x-request-id']).toBe('lb-7f3a.91:x_y');
      expect(out.lines()[0].request_id).toBe('lb-7f3a.91:x_y');
    });

    it('makes one when the request has none', async () => {
      const response = await app.inject({ method: 'GET', url: '/layers/a.json' });
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it.each([
      ['a space', 'two words'],
      ['JSON', '","level":"fatal'],
      ['a forged text line', 'x\u001b[2Jfake'],
      ['too long', 'a'.repeat(129)],
      ['repeated', ['a', 'b']],
    ])('replaces an id with %s by a fresh one', async (_what, id) => {
      const response = await app.inject({ method: 'GET', url: '/layers/a.json', headers: { 'x-request-id': id } });
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(out.lines()[0].request_id).toBe(response.headers['x-request-id']);
    });

    it("is needed because Fastify's own requestIdHeader takes any value as it comes", async () => {
      const plain = fastify({ requestIdHeader: 'x-request-id' });
      plain.get('/', async (request) => request.id);
      const response = await plain.inject({ method: 'GET', url: '/', headers: { 'x-request-id': '","level":"fatal' } });
      expect(response.body).toBe('","level":"fatal');
      await plain.close();
    });
  });

  it('leaves no trace of a bearer token or a token in the query string', async () => {
    await app.inject({ method: 'GET', url: `/layers/a.json?token=${JWT}&access_token=opaque-secret-1`, headers: { authorization: `Bearer ${JWT}` } });
    await app.inject({ method: 'GET', url: '/no/such/route?token=opaque-secret-2', headers: { authorization: 'Bearer opaque-secret-3' } });
    expect(out.lines()).toHaveLength(2);
    expect(out.text).not.toMatch(/eyJ|opaque-secret|token|Bearer/);
  });

  it('writes one line for an answered request over a real connection, and a 499 line when the client goes away first', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const answered = await fetch(`http://127.0.0.1:${port}/layers/a.json`);
    await answered.text();
    await waitFor(() => out.text !== '', 1000);
    expect(out.lines()).toEqual([expect.objectContaining({ route: '/layers/:name.json', status: 200 })]);
    out.text = '';
    const client = httpRequest({ host: '127.0.0.1', port, path: '/slow' });
    client.on('error', () => undefined);
    client.end();
    await waitFor(() => slowStarted, 1000);
    client.destroy();
    await waitFor(() => out.text !== '', 1000);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out.lines()).toEqual([expect.objectContaining({ route: '/slow', status: 499, bytes: null, level: 'info' })]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

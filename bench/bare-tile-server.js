// The hit ceiling: a bare Fastify (the HTTP framework tilegate runs on) answering the benchmark's
// tile URLs with bytes it holds in memory, with no token check, no privilege check and no key.
// What a cache hit could cost at least on this machine today, so the cached server's numbers can
// be read against it as a same-run ratio. Run as a child of bench/cache-run.js, which sends the
// bytes (`{ path: base64 }`) and gets the port back.
'use strict';
const fastify = require('fastify');

const HEADERS = {
  'content-type': 'application/vnd.mapbox-vector-tile',
  'cache-control': 'private, max-age=0',
  vary: 'Authorization, Accept-Encoding',
  'tilegate-cache': 'hit',
};

process.once('message', async (encoded) => {
  const tiles = new Map(Object.entries(encoded).map(([path, base64]) => [path, Buffer.from(base64, 'base64')]));
  const app = fastify();
  app.get('/*', (request, reply) => {
    const tile = tiles.get(request.url);
    if (!tile) return reply.code(404).send();
    return reply.headers(HEADERS).send(tile);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send(app.server.address().port);
});

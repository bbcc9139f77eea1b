// What Nest's request-scoped providers cost: the same route shape as tilegate's tiles
// (controller -> service -> a provider that, like RoleTransaction, reads the request), once with
// that provider request-scoped (so Nest builds all three per request) and once as singletons that
// are handed the request instead. No database: only the framework's share is measured.
'use strict';
require('reflect-metadata');
const autocannon = require('autocannon');
const { Controller, Get, Injectable, Module, Req, Scope, Inject } = require('@nestjs/common');
const { NestFactory, REQUEST } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

function routeModule(requestScoped) {
  class Transaction {
    constructor(request) {
      this.request = request;
    }
    run(request) {
      return { ok: true, url: (this.request ?? request).url };
    }
  }
  Injectable({ scope: requestScoped ? Scope.REQUEST : Scope.DEFAULT })(Transaction);
  if (requestScoped) Inject(REQUEST)(Transaction, undefined, 0);
  else Reflect.defineMetadata('design:paramtypes', [], Transaction);

  class Service {
    constructor(transaction) {
      this.transaction = transaction;
    }
    tile(request) {
      return this.transaction.run(request);
    }
  }
  Reflect.defineMetadata('design:paramtypes', [Transaction], Service);
  Injectable()(Service);

  class TileController {
    constructor(service) {
      this.service = service;
    }
    tile(request) {
      return this.service.tile(request);
    }
  }
  Reflect.defineMetadata('design:paramtypes', [Service], TileController);
  Reflect.defineMetadata('design:paramtypes', [Object], TileController.prototype, 'tile');
  Req()(TileController.prototype, 'tile', 0);
  Get(':layer/:z/:x/:tile')(TileController.prototype, 'tile', Object.getOwnPropertyDescriptor(TileController.prototype, 'tile'));
  Controller()(TileController);

  class RouteModule {}
  Module({ controllers: [TileController], providers: [Service, Transaction] })(RouteModule);
  return RouteModule;
}

async function throughput(requestScoped, seconds) {
  const app = await NestFactory.create(routeModule(requestScoped), new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}/public.places/3/4/2.pbf`;
  await autocannon({ url, connections: 8, duration: 1 }); // warm-up
  const result = await autocannon({ url, connections: 8, duration: seconds });
  await app.close();
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50 };
}

/** Both variants, twice each, alternating; the better of each (less noise from the shared cores). */
async function measureRequestScope(seconds = 4) {
  const runs = { scoped: [], singleton: [] };
  for (let i = 0; i < 2; i++) {
    runs.scoped.push(await throughput(true, seconds));
    runs.singleton.push(await throughput(false, seconds));
  }
  const best = (list) => list.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const scoped = best(runs.scoped);
  const singleton = best(runs.singleton);
  const perRequestUs = 1e6 / scoped.requestsPerSecond - 1e6 / singleton.requestsPerSecond;
  return { scoped, singleton, ratio: scoped.requestsPerSecond / singleton.requestsPerSecond, costPerRequestMicroseconds: perRequestUs };
}

module.exports = { measureRequestScope };

if (require.main === module) {
  measureRequestScope().then((r) => console.log(JSON.stringify(r, null, 2)));
}

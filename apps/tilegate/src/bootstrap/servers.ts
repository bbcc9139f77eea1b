import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { TilegateConfig } from '@app/config';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The sockets tilegate serves on. Without TLS files, Fastify's own HTTP server. With both TLS
 * files, as pg_tileserv does, HTTPS on HttpsPort and HTTP on HttpPort at the same time, both
 * answering with the same application: Fastify builds the HTTPS server through `serverFactory`,
 * and the plain one shares its request handler.
 */
export class AppServers {
  /** The plain HTTP server beside Fastify's HTTPS one, when TLS is configured. */
  plain: Server | undefined;

  constructor(private readonly config: TilegateConfig) {}

  /** Fastify's `serverFactory` when TLS is configured; undefined to let Fastify make its HTTP server. */
  factory(clientError: (err: NodeJS.ErrnoException, socket: Socket) => void): ((handler: Handler) => Server) | undefined {
    const tls = this.config.tls;
    if (!tls) return undefined;
    return (handler) => {
      const secure = createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), minVersion: 'TLSv1.2' }, handler);
      const plain = createServer(handler);
      for (const server of [secure, plain]) {
        // What Fastify sets on a server it makes itself.
        server.keepAliveTimeout = this.config.httpIdleTimeoutSeconds * 1000;
        server.requestTimeout = 30_000;
        server.on('clientError', clientError);
      }
      this.plain = plain;
      return secure as unknown as Server;
    };
  }

  /** Starts the plain server (HTTP beside HTTPS); resolves once it listens. */
  listenPlain(): Promise<void> {
    const plain = this.plain;
    if (!plain) return Promise.resolve();
    return new Promise((resolve, reject) => {
      plain.once('error', reject);
      plain.listen(this.config.httpPort, this.config.httpHost, () => resolve());
    });
  }

  closePlain(): Promise<void> {
    const plain = this.plain;
    return new Promise((resolve) => (plain?.listening ? plain.close(() => resolve()) : resolve()));
  }
}

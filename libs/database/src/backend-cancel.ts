import { connect } from 'node:net';
import type { PoolClient } from 'pg';

/** The protocol's CancelRequest code (PostgreSQL docs, "Canceling Requests in Progress"). */
const CANCEL_REQUEST_CODE = 80877102;

interface BackendKey {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
}

/**
 * Asks PostgreSQL to cancel whatever the connection's backend is running, the way libpq's
 * PQcancel does: a new connection to the same server carrying only the backend's key. No pooled
 * connection is needed (the pool may be exhausted by the very statements to cancel), no
 * privilege either, and it works through PgBouncer, which forwards cancel requests. The
 * statement then fails with 57014 and the connection goes back to the pool clean. Best effort:
 * resolves whether or not the server could be reached.
 */
export function cancelBackend(client: PoolClient, timeoutMs = 2000): Promise<void> {
  const key = client as unknown as BackendKey;
  if (key.processID === null || key.secretKey === null) return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(key.processID, 8);
  packet.writeInt32BE(key.secretKey, 12);
  return new Promise((resolve) => {
    const socket = key.host.startsWith('/') ? connect(`${key.host}/.s.PGSQL.${key.port}`) : connect(key.port, key.host);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('error', done);
    socket.on('close', done);
    // As libpq does: send, then wait for the server to close the connection once it has acted on
    // it. Half-closing our side first made PgBouncer drop the request ("client unexpected eof").
    socket.on('connect', () => socket.write(packet));
    socket.on('end', done);
  });
}

import { Client, ClientConfig } from 'pg';
import { ConnectionOptions, parseConnectionString } from './connection-options';

/**
 * The one connection the tile cache's change listener holds to the primary: a session of its own,
 * outside the pool (LISTEN belongs to a session, and a pooled connection goes back to others). Only
 * this narrow surface leaves libs/database, so the listener never sees the driver.
 * It must reach the primary directly: LISTEN does not work through a transaction-mode PgBouncer.
 */
export interface NotificationConnection {
  /** A statement without parameters (simple protocol, so `LISTEN a; LISTEN b` is one call). */
  query(text: string): Promise<Record<string, unknown>[]>;
  /** The server process, for logs (and for tests that terminate it). */
  readonly processId: number | undefined;
  /** Closes the socket at once: a hung server would never answer a polite Terminate. */
  destroy(): void;
}

export interface NotificationHandlers {
  notification(channel: string, payload: string): void;
  /** The connection ended or failed; called at most once, never after destroy(). */
  closed(reason: string): void;
}

/** Opens one connection; `connectTimeoutMs` bounds the attempt, so a dead host cannot stall reconnecting. */
export async function openNotificationConnection(
  connection: string | ConnectionOptions,
  handlers: NotificationHandlers,
  connectTimeoutMs = 2000,
): Promise<NotificationConnection> {
  const client = new Client({ ...clientConfig(connection), connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, application_name: 'tilegate-listener' });
  let open = true;
  const close = (reason: string) => {
    if (!open) return;
    open = false;
    handlers.closed(reason);
  };
  // Without an 'error' listener node-postgres would throw the error and end the process.
  client.on('error', (err) => close(err.message));
  client.on('end', () => close('the connection ended'));
  client.on('notification', (n) => {
    if (open) handlers.notification(n.channel, n.payload ?? '');
  });
  try {
    await client.connect();
  } catch (err) {
    open = false;
    destroySocket(client);
    throw err;
  }
  return {
    query: async (text) => (await client.query(text)).rows as Record<string, unknown>[],
    get processId() {
      return (client as unknown as { processID?: number }).processID;
    },
    destroy: () => {
      open = false;
      destroySocket(client);
    },
  };
}

function clientConfig(connection: string | ConnectionOptions): ClientConfig {
  const options = typeof connection === 'string' ? parseConnectionString(connection) : connection;
  if (options.url) return { connectionString: options.url, ssl: options.ssl };
  return { host: options.host, port: options.port, user: options.username, password: options.password, database: options.database, ssl: options.ssl };
}

function destroySocket(client: Client): void {
  // client.end() waits for the server; destroying the stream fails pending queries at once instead.
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  client.end().catch(() => undefined);
}

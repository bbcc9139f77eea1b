import { ChangeListener } from './change-listener';
import { ListenConnection, ListenHandlers } from './listen-connection';

/** A connection that answers at once unless told to hang; the test plays the server. */
class FakeConnection implements ListenConnection {
  readonly queries: string[] = [];
  hung = false;
  /** LISTEN "works" but nothing is ever delivered, as through a transaction-mode PgBouncer. */
  deaf = false;
  /** The backend answering; a pooler changes it between statements. */
  pid = 7;
  destroyed = false;
  constructor(readonly handlers: ListenHandlers) {}
  get processId() {
    return 1;
  }
  query(text: string): Promise<Record<string, unknown>[]> {
    this.queries.push(text);
    if (this.hung) return new Promise(() => undefined);
    const echo = /pg_notify\('(\w+)', '([^']+)'\)/.exec(text);
    if (echo && !this.deaf) queueMicrotask(() => this.handlers.notification(echo[1], echo[2]));
    if (text.includes('pg_backend_pid')) return Promise.resolve([{ pid: this.pid }]);
    return Promise.resolve(text.includes('wal_insert_lsn') ? [{ lsn: `0/${this.queries.length}` }] : []);
  }
  destroy() {
    this.destroyed = true;
  }
}

function setUp() {
  const connections: FakeConnection[] = [];
  const warnings: string[] = [];
  const events: string[] = [];
  const listener = new ChangeListener(
    async (handlers) => {
      const c = new FakeConnection(handlers);
      connections.push(c);
      return c;
    },
    { warn: (_obj, msg) => warnings.push(msg) },
  );
  listener.on('tables', (oids, lsn) => events.push(`tables ${oids.join(',')} ${lsn}`));
  listener.on('ddl', (lsn) => events.push(`ddl ${lsn}`));
  listener.on('lost', () => events.push('lost'));
  listener.on('listening', () => events.push('listening'));
  return { listener, connections, warnings, events, last: () => connections[connections.length - 1] };
}

describe('ChangeListener', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('LISTENs on both channels, then says it is listening', async () => {
    const { listener, events, last } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(last().queries[0]).toBe('LISTEN tilegate_changes; LISTEN tilegate_ddl; LISTEN tilegate_listener_ping');
    expect(last().queries[1]).toMatch(/pg_backend_pid/);
    expect(last().queries[2]).toMatch(/pg_notify\('tilegate_listener_ping'/);
    expect(events).toEqual(['listening']);
    expect(listener.isListening).toBe(true);
    await listener.close();
  });

  it('does not call itself listening while its own notifications never come back (a transaction-mode PgBouncer)', async () => {
    const { listener, events, connections, warnings } = setUp();
    const open = (listener as unknown as { open: (h: ListenHandlers) => Promise<FakeConnection> }).open;
    (listener as unknown as { open: (h: ListenHandlers) => Promise<FakeConnection> }).open = async (h) => Object.assign(await open(h), { deaf: true });
    listener.start();
    await jest.advanceTimersByTimeAsync(6000);
    expect(events).toEqual([]);
    expect(listener.isListening).toBe(false);
    expect(connections.length).toBeGreaterThan(1);
    expect(warnings.length).toBeGreaterThan(0);
    await listener.close();
  });

  it('drops a connection whose backend changes under it (a pooler), where notifications would be lost', async () => {
    const { listener, events, warnings, last } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['listening']);
    last().pid = 8;
    await jest.advanceTimersByTimeAsync(400);
    expect(events).toEqual(['listening', 'lost']);
    expect(warnings.join()).toMatch(/not listening/);
    await listener.close();
  });

  it('coalesces a burst into one event with one WAL position read after it', async () => {
    const { listener, events, last } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    for (const oid of ['30', '10', '30']) last().handlers.notification('tilegate_changes', oid);
    last().handlers.notification('tilegate_ddl', 'ALTER TABLE');
    await jest.advanceTimersByTimeAsync(10);
    const lsn = `0/${last().queries.findIndex((q) => q.includes('wal_insert_lsn')) + 1}`;
    expect(events).toEqual(['listening', `ddl ${lsn}`, `tables 10,30 ${lsn}`]);
    expect(last().queries.filter((q) => q.includes('wal_insert_lsn'))).toHaveLength(1);
    await listener.close();
  });

  it('reports a hung connection as lost within a second, and reconnects with backoff', async () => {
    const { listener, events, connections, last } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    last().hung = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(events).toEqual(['listening', 'lost']);
    expect(connections[0].destroyed).toBe(true);
    await jest.advanceTimersByTimeAsync(250);
    expect(connections).toHaveLength(2);
    expect(events).toEqual(['listening', 'lost', 'listening']);
    await listener.close();
  });

  it('ignores what an old connection says after it was dropped', async () => {
    const { listener, events, connections } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    connections[0].handlers.closed('terminated');
    connections[0].handlers.notification('tilegate_changes', '5');
    connections[0].handlers.closed('again');
    await jest.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['listening', 'lost']);
    await listener.close();
  });

  it('keeps retrying a database that refuses, doubling the wait, without emitting lost twice', async () => {
    let attempts = 0;
    const listener = new ChangeListener(
      async () => {
        attempts++;
        throw new Error('connection refused');
      },
      { warn: () => undefined },
    );
    const lost = jest.fn();
    listener.on('lost', lost);
    listener.start();
    await jest.advanceTimersByTimeAsync(250 + 500 + 1000 + 2000);
    expect(attempts).toBe(5);
    expect(lost).not.toHaveBeenCalled();
    await listener.close();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(attempts).toBe(5);
  });

  it('survives a subscriber that throws', async () => {
    const { listener, warnings, last } = setUp();
    listener.on('tables', () => {
      throw new Error('boom');
    });
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    last().handlers.notification('tilegate_changes', '7');
    await jest.advanceTimersByTimeAsync(10);
    expect(warnings).toContain('tile cache listener: a subscriber failed');
    expect(listener.isListening).toBe(true);
    await listener.close();
  });

  it('ignores notifications no tilegate trigger sends', async () => {
    const { listener, events, warnings, last } = setUp();
    listener.start();
    await jest.advanceTimersByTimeAsync(0);
    last().handlers.notification('tilegate_changes', 'not-an-oid');
    await jest.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['listening']);
    expect(warnings).toHaveLength(1);
    await listener.close();
  });
});

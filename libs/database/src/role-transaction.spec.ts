import { RoleTransactions } from './role-transaction';
import { abandonSignalOf, setAbandonSignal } from './request-context';
import { setRequestRole } from './request-role';
import type { ConnectionPool } from './connection-pool';
import { ClaimKeys } from './claim-keys';
import { EventEmitter } from 'node:events';

const info = { loginRole: 'authenticator', postgisSchema: 'public', requestSearchPath: 'pg_catalog, "public"' };
/** A pool whose clients answer as `client` does. */
const poolOf = (client: unknown) => ({ acquire: async () => client, info, statementTimeoutMs: 10000, answered: () => undefined, failed: () => undefined, lost: () => false }) as unknown as ConnectionPool;

/** A request the guard has decided: runs as `role`. */
function decided(role: string): object {
  const request = {};
  setRequestRole(request, { kind: 'switch', role, claims: null });
  return request;
}

/** Fails closed: without a role decided for the request, no transaction is made and no connection taken. */
describe('RoleTransactions.forRequest', () => {
  const acquired: number[] = [];
  const pool = { acquire: async () => (acquired.push(1), Promise.reject(new Error('must not be called'))), info, statementTimeoutMs: 10000 } as unknown as ConnectionPool;
  const transactions = new RoleTransactions(pool, new ClaimKeys());
  const work = async () => 'ran';

  afterEach(() => expect(acquired).toEqual([]));

  it('refuses a request the guard has not decided', () => {
    expect(() => transactions.forRequest({})).toThrow(/auth guard did not run/);
  });

  it('switches each concurrent request to its own role', async () => {
    const sessions: string[] = [];
    const client = { query: async (text: string) => (text.startsWith('BEGIN') && sessions.push(text), { rows: [] }), release: () => undefined };
    const probe = new RoleTransactions(poolOf(client), new ClaimKeys());
    const serve = async (role: string, delay: number) => {
      const transaction = probe.forRequest(decided(role));
      await new Promise((r) => setTimeout(r, delay));
      await transaction.run(async () => 'done');
    };
    // Both requests are in flight at once; the second one started finishes first.
    await Promise.all([serve('role_slow', 30), serve('role_fast', 1)]);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toContain("set_config('role', 'role_fast', true)");
    expect(sessions[1]).toContain("set_config('role', 'role_slow', true)");
  });

  it.each(['none', 'NONE', 'public', 'pg_read_all_data', 'PG_monitor', 'authenticator', 'current_user'])('refuses the role %s before taking a connection', async (role) => {
    await expect(transactions.forRequest(decided(role)).run(work)).rejects.toMatchObject({ status: 403 });
  });

  it('takes no connection for a request whose client has already gone', async () => {
    const response = Object.assign(new EventEmitter(), { writableFinished: false });
    const request = decided('web_user');
    setAbandonSignal(request, abandonSignalOf(response));
    response.emit('close');
    await expect(transactions.forRequest(request).run(work)).rejects.toMatchObject({ status: 499 });
  });
});

/** runStatement: one message per request, and which refusal it was when that message fails. */
describe('RoleTransaction.runStatement', () => {
  const sqlError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  /** A client that answers each message by `answer`, recording what it was sent. */
  function transactionWith(answer: (text: string) => unknown) {
    const sent: string[] = [];
    const released: Array<Error | undefined> = [];
    const client = {
      query: async (text: string) => {
        sent.push(text);
        const result = answer(text);
        if (result instanceof Error) throw result;
        return result;
      },
      release: (err?: Error) => released.push(err),
    };
    return { transaction: new RoleTransactions(poolOf(client), new ClaimKeys()).forRequest(decided('web_user')), sent, released };
  }

  it('sends BEGIN, the switch, the statement and COMMIT as one message and returns the statement rows', async () => {
    const { transaction, sent } = transactionWith(() => [{ rows: [] }, { rows: [{}] }, { rows: [{ mvt: 'tile' }] }, { rows: [] }]);
    await expect(transaction.runStatement('SELECT 1 AS mvt')).resolves.toEqual([{ mvt: 'tile' }]);
    expect(sent).toEqual([
      "BEGIN; SELECT pg_catalog.set_config('search_path', 'pg_catalog, \"public\"', true), pg_catalog.set_config('statement_timeout', '10000', true), pg_catalog.set_config('jit', 'off', true), pg_catalog.set_config('max_parallel_workers_per_gather', '0', true), " +
        "pg_catalog.set_config('request.jwt.claims', '{}', true), pg_catalog.set_config('role', 'web_user', true); SELECT 1 AS mvt; COMMIT",
    ]);
  });

  it('rolls back after a failed statement and reports a permission error as the statement’s own', async () => {
    const { transaction, sent } = transactionWith((text) => (text.includes('SELECT 1') ? sqlError('42501', 'permission denied for table t') : { rows: [] }));
    await expect(transaction.runStatement('SELECT 1 AS mvt')).rejects.toMatchObject({ status: 404 });
    // The switch alone succeeded when tried, so the 42501 was the table's.
    expect(sent.slice(1)).toEqual(['ROLLBACK', expect.stringMatching(/^BEGIN; SELECT pg_catalog.set_config/), 'ROLLBACK']);
  });

  it('reports a refused switch as the one 403, whatever statement followed it', async () => {
    const { transaction } = transactionWith((text) => (text.startsWith('BEGIN') ? sqlError('42501', 'permission denied to set role') : { rows: [] }));
    await expect(transaction.runStatement('SELECT 1 AS mvt')).rejects.toMatchObject({ status: 403 });
  });

  it('discards the connection when the rollback fails', async () => {
    const { transaction, released } = transactionWith((text) => (text === 'ROLLBACK' ? new Error('socket closed') : sqlError('42P01')));
    await expect(transaction.runStatement('SELECT 1 AS mvt')).rejects.toThrow();
    expect(released[0]).toBeInstanceOf(Error);
  });
});

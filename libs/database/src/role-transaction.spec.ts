import { RoleTransaction } from './role-transaction';
import { runInRequestContext } from './request-context';
import { setRequestRole } from './request-role';
import type { ConnectionPool } from './connection-pool';
import { ClaimKeys } from './claim-keys';

const info = { loginRole: 'authenticator', postgisSchema: 'public', requestSearchPath: 'pg_catalog, "public"' };
/** A pool whose clients answer as `client` does. */
const poolOf = (client: unknown) => ({ acquire: async () => client, info, statementTimeoutMs: 10000, answered: () => undefined, failed: () => undefined, lost: () => false }) as unknown as ConnectionPool;

/** Fails closed: without a role decided for the current request, no connection is even taken. */
describe('RoleTransaction outside a decided request', () => {
  const acquired: number[] = [];
  const pool = { acquire: async () => (acquired.push(1), Promise.reject(new Error('must not be called'))), info, statementTimeoutMs: 10000 } as unknown as ConnectionPool;
  const transaction = new RoleTransaction(pool, new ClaimKeys());
  const work = async () => 'ran';

  afterEach(() => expect(acquired).toEqual([]));

  it('refuses to run outside any request', async () => {
    await expect(transaction.run(work)).rejects.toThrow(/auth guard did not run/);
  });

  it('refuses to run for a request the guard has not decided', async () => {
    const request = {};
    await new Promise<void>((resolve) =>
      runInRequestContext(request, () => {
        void expect(transaction.run(work)).rejects.toThrow(/auth guard did not run/).then(resolve);
      }),
    );
  });

  it('switches each concurrent request to its own role', async () => {
    const sessions: string[] = [];
    const client = { query: async (text: string) => (text.startsWith('BEGIN') && sessions.push(text), { rows: [] }), release: () => undefined };
    const probe = new RoleTransaction(poolOf(client), new ClaimKeys());
    const serve = (role: string, delay: number) =>
      new Promise<void>((resolve) => {
        const request = {};
        runInRequestContext(request, () => {
          setRequestRole(request, { kind: 'switch', role, claims: null });
          void new Promise((r) => setTimeout(r, delay))
            .then(() => probe.run(async () => 'done'))
            .then(() => resolve());
        });
      });
    // Both requests are in flight at once; the second one started finishes first.
    await Promise.all([serve('role_slow', 30), serve('role_fast', 1)]);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toContain("set_config('role', 'role_fast', true)");
    expect(sessions[1]).toContain("set_config('role', 'role_slow', true)");
  });

  it.each(['none', 'NONE', 'public', 'pg_read_all_data', 'PG_monitor', 'authenticator', 'current_user'])('refuses the role %s before taking a connection', async (role) => {
    const request = {};
    await new Promise<void>((resolve) =>
      runInRequestContext(request, () => {
        setRequestRole(request, { kind: 'switch', role, claims: null });
        void expect(transaction.run(work)).rejects.toMatchObject({ status: 403 }).then(resolve);
      }),
    );
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
    return { transaction: new RoleTransaction(poolOf(client), new ClaimKeys()), sent, released };
  }

  const asRole = <T>(work: () => Promise<T>): Promise<T> =>
    new Promise((resolve, reject) => {
      const request = {};
      runInRequestContext(request, () => {
        setRequestRole(request, { kind: 'switch', role: 'web_user', claims: null });
        work().then(resolve, reject);
      });
    });

  it('sends BEGIN, the switch, the statement and COMMIT as one message and returns the statement rows', async () => {
    const { transaction, sent } = transactionWith(() => [{ rows: [] }, { rows: [{}] }, { rows: [{ mvt: 'tile' }] }, { rows: [] }]);
    await expect(asRole(() => transaction.runStatement('SELECT 1 AS mvt'))).resolves.toEqual([{ mvt: 'tile' }]);
    expect(sent).toEqual([
      "BEGIN; SELECT pg_catalog.set_config('search_path', 'pg_catalog, \"public\"', true), pg_catalog.set_config('statement_timeout', '10000', true), pg_catalog.set_config('jit', 'off', true), pg_catalog.set_config('max_parallel_workers_per_gather', '0', true), " +
        "pg_catalog.set_config('request.jwt.claims', '{}', true), pg_catalog.set_config('role', 'web_user', true); SELECT 1 AS mvt; COMMIT",
    ]);
  });

  it('rolls back after a failed statement and reports a permission error as the statement’s own', async () => {
    const { transaction, sent } = transactionWith((text) => (text.includes('SELECT 1') ? sqlError('42501', 'permission denied for table t') : { rows: [] }));
    await expect(asRole(() => transaction.runStatement('SELECT 1 AS mvt'))).rejects.toMatchObject({ status: 404 });
    // The switch alone succeeded when tried, so the 42501 was the table's.
    expect(sent.slice(1)).toEqual(['ROLLBACK', expect.stringMatching(/^BEGIN; SELECT pg_catalog.set_config/), 'ROLLBACK']);
  });

  it('reports a refused switch as the one 403, whatever statement followed it', async () => {
    const { transaction } = transactionWith((text) => (text.startsWith('BEGIN') ? sqlError('42501', 'permission denied to set role') : { rows: [] }));
    await expect(asRole(() => transaction.runStatement('SELECT 1 AS mvt'))).rejects.toMatchObject({ status: 403 });
  });

  it('discards the connection when the rollback fails', async () => {
    const { transaction, released } = transactionWith((text) => (text === 'ROLLBACK' ? new Error('socket closed') : sqlError('42P01')));
    await expect(asRole(() => transaction.runStatement('SELECT 1 AS mvt'))).rejects.toThrow();
    expect(released[0]).toBeInstanceOf(Error);
  });
});

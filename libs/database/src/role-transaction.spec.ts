import { RoleTransaction } from './role-transaction';
import { runInRequestContext } from './request-context';
import { setRequestRole } from './request-role';
import type { ConnectionPool } from './connection-pool';

/** Fails closed: without a role decided for the current request, no connection is even taken. */
describe('RoleTransaction outside a decided request', () => {
  const acquired: number[] = [];
  const pool = { acquire: async () => (acquired.push(1), Promise.reject(new Error('must not be called'))) } as unknown as ConnectionPool;
  const transaction = new RoleTransaction(pool);
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
    const probe = new RoleTransaction({ acquire: async () => client } as unknown as ConnectionPool);
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
});

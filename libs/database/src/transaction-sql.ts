import { escapeLiteral } from './sql-escape';
import { VerifiedClaims } from './verified-claims';

/** A transaction-local setting: [name, value]. */
export type Setting = readonly [string, string];

/**
 * The statement that opens every transaction tilegate runs and makes its settings:
 *
 *   BEGIN; SELECT pg_catalog.set_config('search_path', '...', true), pg_catalog.set_config('role', '...', true), ...
 *
 * Sent with the simple query protocol so BEGIN and the settings cost one round trip. Every value
 * is an escaped literal (no request text is ever spliced unquoted), `set_config` is called by its
 * schema (the session's search_path is not yet pinned when it runs), and `is_local = true` makes
 * each setting vanish at COMMIT or ROLLBACK, so a pooled connection never carries a role, a claim
 * or a search_path into the next request.
 */
export function openTransactionSql(settings: ReadonlyArray<Setting>, options: { readOnly?: boolean } = {}): string {
  const calls = settings.map(([name, value]) => `pg_catalog.set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`);
  return `BEGIN${options.readOnly ? ' READ ONLY' : ''}; SELECT ${calls.join(', ')}`;
}

/**
 * A whole transaction in one message, so one round trip (simple query protocol, several statements):
 *
 *   BEGIN; SELECT pg_catalog.set_config(...)...; <statement>; COMMIT
 *
 * PostgreSQL runs them in order and, at the first error, skips the rest of the message and leaves
 * the transaction aborted (the caller rolls back): the statement never runs without its settings,
 * and nothing is committed after a failure. `statement` must be one complete statement with every
 * value already an escaped literal (simple queries take no parameters).
 */
export function wholeTransactionSql(settings: ReadonlyArray<Setting>, statement: string, options: { readOnly?: boolean } = {}): string {
  return `${openTransactionSql(settings, options)}; ${statement}; COMMIT`;
}

/**
 * The role and claims settings of a request, after the base ones (search_path, statement_timeout).
 * Claims follow PostgREST (`request.jwt.claims`, the token's own JSON) and PostGraphile
 * (`jwt.claims.<key>`, each top-level scalar, numbers with every digit). `blankKeys` are claim
 * keys other requests have defined on this connection and this one lacks (see ClaimKeys). The
 * role comes last: if PostgreSQL refuses it, the claim keys before it are still defined (a
 * rolled-back setting leaves its placeholder behind), as ClaimKeys has recorded them.
 */
export function roleSettings(role: string, claims: VerifiedClaims | null, claimKeys: { settable(key: string): boolean }, blankKeys: string[]): Setting[] {
  const settings: Setting[] = [];
  // Blanks first: should a blank ever name a setting the request sets too, the request's value wins.
  for (const key of blankKeys) settings.push([`jwt.claims.${key}`, '']);
  for (const [key, value] of claims?.scalars ?? []) if (claimKeys.settable(key)) settings.push([`jwt.claims.${key}`, value]);
  settings.push(['request.jwt.claims', claims?.json ?? '{}'], ['role', role]);
  return settings;
}

/**
 * The settings every request's transaction starts with: the pinned search_path, DbTimeout as
 * statement_timeout, and no JIT (a low-zoom tile's row estimates pass jit_above_cost, and
 * compiling the plan then took more than running it: 530 ms of a 540 ms world tile of points,
 * measured; tiles are short and all different, so JIT never pays for itself here), and no
 * parallel plans: a tile server's throughput comes from many requests at once, and a tile's
 * parallel workers take cores from the others. Worse, the division of a costly target list
 * (ST_AsMVTGeom per row) among workers made the planner pick parallel sequential scans of a
 * million points over a 1,400-row index scan: 84 ms instead of 4 (measured on the benchmark's
 * tiles, where it halved PostgreSQL's time over the whole list).
 */
export function requestBaseSettings(searchPath: string, statementTimeoutMs: number): Setting[] {
  return [
    ['search_path', searchPath],
    ['statement_timeout', String(statementTimeoutMs)],
    ['jit', 'off'],
    ['max_parallel_workers_per_gather', '0'],
  ];
}

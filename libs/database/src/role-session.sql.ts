import { escapeLiteral } from './sql-escape';
import { RequestRole } from './request-role';

/** Claim keys that become `jwt.claims.<key>` settings; anything else stays only in the JSON. */
const SAFE_CLAIM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The one statement that opens a request's transaction and switches to its role:
 *
 *   BEGIN; SELECT set_config('role', '<role>', true), set_config('request.jwt.claims', '<json>', true), ...
 *
 * Sent with the simple query protocol so BEGIN and the switch cost one round trip. Every value is
 * an escaped literal (no request text is ever spliced unquoted), and `is_local = true` makes each
 * setting vanish at COMMIT or ROLLBACK, so a pooled connection never carries a role or a claim into
 * the next request. Claims follow PostgREST (`request.jwt.claims`, the whole JSON) and PostGraphile
 * (`jwt.claims.<key>`, each top-level scalar).
 */
export function roleSessionSql(role: Extract<RequestRole, { kind: 'switch' }>): string {
  const settings: Array<[string, string]> = [['role', role.role]];
  const claims = role.claims ?? {};
  settings.push(['request.jwt.claims', JSON.stringify(claims)]);
  for (const [key, value] of Object.entries(claims)) {
    if (!SAFE_CLAIM_KEY.test(key)) continue;
    const text = scalarText(value);
    if (text !== undefined) settings.push([`jwt.claims.${key}`, text]);
  }
  const calls = settings.map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`);
  return `BEGIN; SELECT ${calls.join(', ')}`;
}

/**
 * A whole request in one message, so one round trip (simple query protocol, several statements):
 *
 *   BEGIN; SELECT set_config(...)...; <statement>; COMMIT
 *
 * PostgreSQL runs them in order and, at the first error, skips the rest of the message and leaves
 * the transaction aborted (the caller rolls back): the statement never runs without its role, and
 * nothing is committed after a failure. `statement` must be one complete statement with every value
 * already an escaped literal (simple queries take no parameters).
 */
export function roleStatementSql(role: Extract<RequestRole, { kind: 'switch' }>, statement: string): string {
  return `${roleSessionSql(role)}; ${statement}; COMMIT`;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

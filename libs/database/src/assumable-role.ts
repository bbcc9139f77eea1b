/**
 * Names `set_config('role', name, true)` treats as something other than "become this role", or
 * that no request may run as. `none` (PostgreSQL matches it exactly; every case is refused here)
 * resets the role: the request would run as the login role. `public` is every role at once and
 * cannot be assumed. `pg_*` are PostgreSQL's predefined roles (pg_read_all_data,
 * pg_write_server_files...): a login role that was granted one must still never hand it to a
 * token. The SQL words for the current and session user are refused too, though set_config takes
 * them as plain names. And the login role itself: it is the authenticator, not a role to run as.
 */
const RESERVED = new Set(['none', 'public', 'current_user', 'current_role', 'session_user', 'user']);

export function isAssumableRole(name: string, loginRole: string): boolean {
  const lower = name.toLowerCase();
  return name.length > 0 && !RESERVED.has(lower) && !lower.startsWith('pg_') && name !== loginRole;
}

import { ConfigError, TilegateConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import { ConnectionPool } from './connection-pool';
import { isAssumableRole } from './assumable-role';

/**
 * Start-up checks on the login role when JWT role switching is on.
 * - A superuser or BYPASSRLS login role (or one that can become such a role) defeats the point:
 *   RLS would silently do nothing for it, and a token naming that role would get everything.
 * - AnonRole must be a role the login role can become, or every anonymous request would fail.
 */
export async function checkAuthenticator(pool: ConnectionPool, config: TilegateConfig): Promise<void> {
  if (!config.jwt) return;
  const logger = new Logger('Authenticator');
  const loginRole = pool.info.loginRole;
  if (!isAssumableRole(config.jwt.anonRole, loginRole)) {
    throw new ConfigError('AnonRole', `"${config.jwt.anonRole}" cannot be a request role: it is the login role itself, none, public or a pg_* role`);
  }
  const mapped = Object.entries(config.jwt.roleMap ?? {}).find(([, role]) => !isAssumableRole(role, loginRole));
  if (mapped) throw new ConfigError('JwtRoleMap', `"${mapped[0]}" maps to "${mapped[1]}", which cannot be a request role: the login role itself, none, public or a pg_* role`);
  const client = await pool.acquire();
  try {
    const privileged = await client.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT r.rolname, r.rolsuper, r.rolbypassrls FROM pg_catalog.pg_roles r
        WHERE (r.rolsuper OR r.rolbypassrls) AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')
        ORDER BY r.rolname`,
    );
    if (privileged.rows.length > 0) {
      const names = privileged.rows.map((r) => `${r.rolname} (${r.rolsuper ? 'superuser' : 'BYPASSRLS'})`).join(', ');
      const why = `the login role can act as ${names}; row level security would not apply to it, and a token naming such a role would see everything`;
      if (!config.allowPrivilegedAuthenticator) {
        throw new ConfigError('DbConnection', `${why}. Connect as a plain login role (NOINHERIT, granted only the roles tokens may name), or set AllowPrivilegedAuthenticator = true to start anyway`);
      }
      logger.warn(`${why}; starting because AllowPrivilegedAuthenticator is set`);
    }
    const anon = await client.query(
      `SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1 AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')`,
      [config.jwt.anonRole],
    );
    if (anon.rows.length === 0) {
      throw new ConfigError('AnonRole', `the login role cannot switch to "${config.jwt.anonRole}": create it and GRANT it to the login role`);
    }
  } finally {
    client.release();
  }
}

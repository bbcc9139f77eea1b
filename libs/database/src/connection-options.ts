import { ConfigError } from '@app/config';

/** The parts of a connection string tilegate passes on to the driver. */
export interface ConnectionOptions {
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  database?: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
}

/**
 * pg_tileserv accepts both libpq forms: a URL (`postgresql://user:pw@host/db`) and key/value
 * (`user=you host=localhost dbname=yourdb`). The driver understands only URLs, so key/value
 * strings are parsed here.
 */
export function parseConnectionString(text: string, key: 'DbConnection' | 'DbReadConnection' = 'DbConnection'): ConnectionOptions {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { url: trimmed };
  const options: ConnectionOptions = {};
  const pairs = /\s*([A-Za-z_]+)\s*=\s*('((?:[^'\\]|\\.)*)'|\S*)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pairs.exec(trimmed)) !== null && match[0].length > 0) {
    consumed = pairs.lastIndex;
    const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2];
    applyKeyword(options, match[1].toLowerCase(), value, key);
  }
  if (consumed !== trimmed.length || consumed === 0) {
    throw new ConfigError(key, 'expected a postgresql:// URL or libpq key=value pairs');
  }
  return options;
}

function applyKeyword(options: ConnectionOptions, keyword: string, value: string, key: string): void {
  switch (keyword) {
    case 'host':
      options.host = value;
      return;
    case 'port':
      if (!/^\d+$/.test(value)) throw new ConfigError(key, `port must be a number, got "${value}"`);
      options.port = Number(value);
      return;
    case 'user':
      options.username = value;
      return;
    case 'password':
      options.password = value;
      return;
    case 'dbname':
      options.database = value;
      return;
    case 'sslmode':
      options.ssl = value === 'disable' || value === 'allow' || value === 'prefer' ? false : { rejectUnauthorized: value === 'verify-full' || value === 'verify-ca' };
      return;
    default:
      // application_name, connect_timeout...: harmless, and the driver sets its own.
      return;
  }
}

/** The connection without its password, for logs and status: `postgresql://user@host:port/db`. */
export function describeConnection(options: ConnectionOptions): string {
  if (options.url !== undefined) {
    try {
      const url = new URL(options.url);
      url.password = '';
      url.search = '';
      return url.toString();
    } catch {
      return 'postgresql://(unreadable URL)';
    }
  }
  const user = options.username ? `${options.username}@` : '';
  return `postgresql://${user}${options.host ?? ''}${options.port ? `:${options.port}` : ''}/${options.database ?? ''}`;
}

/** ConnectionOptions (TypeORM's names) as node-postgres takes them. */
export function driverOptions(options: ConnectionOptions) {
  const { url, username, ...rest } = options;
  return { ...rest, user: username, connectionString: url };
}

import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { ConfigError } from './config-error';
import { CONFIG_KEYS } from './config-keys';
import { canonicalKey, canonicalName, RawValue } from './config-values';

/** Where a value came from, so an error can say "HttpPort (from TS_HTTPPORT)". */
export interface RawEntry {
  name: string;
  value: RawValue;
  source: string;
}

/** pg_tileserv searches ./config, /config (a root volume, as its README says) and /etc, in that order. */
export const DEFAULT_CONFIG_FILES = [
  './config/tilegate.toml',
  './config/pg_tileserv.toml',
  '/config/tilegate.toml',
  '/config/pg_tileserv.toml',
  '/etc/tilegate.toml',
  '/etc/pg_tileserv.toml',
  '/etc/tilegate/tilegate.toml',
  '/etc/pg_tileserv/pg_tileserv.toml',
];

/** The explicit file must exist; otherwise the first default file that exists, or none. */
export function readConfigFile(explicit: string | undefined): RawEntry[] {
  const path = explicit ?? DEFAULT_CONFIG_FILES.find((p) => existsSync(p));
  if (!path) return [];
  if (!existsSync(path)) throw new ConfigError('--config', `file not found: ${path}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError('--config', `${path} is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  return Object.entries(parsed).map(([name, value]) => ({ name, value: value as RawValue, source: path }));
}

export interface EnvironmentEntries {
  entries: RawEntry[];
  /** TS_* variables that name no key: a warning, not an error (pg_tileserv ignores them). */
  unknown: string[];
}

/**
 * TS_<KEY> variables (any case after the prefix, as viper's AutomaticEnv), and DATABASE_URL.
 * Empty values count as unset, as in viper. A table's keys are TS_COORDINATESYSTEM.SRID (viper's
 * spelling) or TS_COORDINATESYSTEM_SRID (one a shell can set); a whole table (TS_COORDINATESYSTEM,
 * TS_LAYER) cannot come from the environment and is unknown, as pg_tileserv ignores it too.
 * TS_NODE_* (ts-node) and TS_JEST* are not special: they are reported with the other unknown names.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): EnvironmentEntries {
  const entries: RawEntry[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TS_') || value === undefined || value === '') continue;
    const entry = envEntry(name.slice(3), value, name);
    if (entry) entries.push(entry);
    else unknown.push(name);
  }
  // Last, so it wins over TS_DBCONNECTION and the file, as pg_tileserv has it (viper.Set).
  if (env.DATABASE_URL) entries.push({ name: 'DbConnection', value: env.DATABASE_URL, source: 'DATABASE_URL' });
  return { entries, unknown: unknown.sort() };
}

function envEntry(name: string, value: string, source: string): RawEntry | undefined {
  const key = canonicalKey(name);
  if (key) return CONFIG_KEYS[key].kind === 'table' || CONFIG_KEYS[key].kind === 'tables' ? undefined : { name: key, value, source };
  const at = name.search(/[._]/);
  const table = at > 0 ? canonicalKey(name.slice(0, at)) : undefined;
  const fields = table && CONFIG_KEYS[table].kind === 'table' ? Object.keys(CONFIG_KEYS[table].fields ?? {}) : [];
  const field = canonicalName(fields, name.slice(at + 1));
  return table && field ? { name: table, value: { [field]: value }, source } : undefined;
}

import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { ConfigError } from './config-error';
import { RawValue } from './config-values';

/** Where a value came from, so an error can say "HttpPort (from TS_HTTPPORT)". */
export interface RawEntry {
  name: string;
  value: RawValue;
  source: string;
}

export const DEFAULT_CONFIG_FILES = [
  './config/tilegate.toml',
  './config/pg_tileserv.toml',
  '/etc/tilegate.toml',
  '/etc/pg_tileserv.toml',
  '/etc/tilegate/tilegate.toml',
  '/etc/pg_tileserv/pg_tileserv.toml',
];

/** `--config FILE` / `--config=FILE` / `-c FILE` from the command line, as pg_tileserv takes it. */
export function configFileFromArgs(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' || arg === '-c') {
      const next = argv[i + 1];
      if (!next) throw new ConfigError('--config', 'needs a file path');
      return next;
    }
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

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

/**
 * TS_<KEY> variables (any case after the prefix, as viper's AutomaticEnv), and DATABASE_URL.
 * TS_NODE_* and TS_JEST* belong to ts-node and ts-jest, not to us, and are skipped.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): RawEntry[] {
  const entries: RawEntry[] = [];
  if (env.DATABASE_URL) entries.push({ name: 'DbConnection', value: env.DATABASE_URL, source: 'DATABASE_URL' });
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TS_') || value === undefined) continue;
    if (/^TS_(NODE_|JEST)/.test(name)) continue;
    entries.push({ name: name.slice(3), value, source: name });
  }
  return entries;
}

import { CONFIG_KEYS, ConfigKey, KeySpec } from './config-keys';
import { ConfigError } from './config-error';

export type RawValue = string | number | boolean | unknown[] | Record<string, unknown>;
export type ConfigValue = string | number | boolean | string[] | Record<string, string>;

/** Finds the canonical key for a name written in any case (TOML and env are case-insensitive, as in pg_tileserv). */
export function canonicalKey(name: string): ConfigKey | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(CONFIG_KEYS) as ConfigKey[]).find((k) => k.toLowerCase() === lower);
}

/**
 * Coerces a value from TOML (typed) or from the environment (always a string) to the key's kind,
 * or throws a ConfigError naming the key and what was wrong.
 */
export function coerceValue(key: ConfigKey, raw: RawValue, source: string): ConfigValue {
  const spec: KeySpec = CONFIG_KEYS[key];
  const where = `${key} (from ${source})`;
  switch (spec.kind) {
    case 'string':
      if (typeof raw !== 'string') throw new ConfigError(where, `expected a string, got ${describe(raw)}`);
      return raw;
    case 'duration':
      if (typeof raw !== 'string') throw new ConfigError(where, `expected a duration such as "1h" or "30m", got ${describe(raw)}`);
      parseDurationSeconds(raw, where);
      return raw;
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) throw new ConfigError(where, `expected a whole number, got ${describe(raw)}`);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new ConfigError(where, `must be between ${spec.min} and ${spec.max}, got ${n}`);
      }
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|1|yes|on)$/i.test(raw.trim())) return true;
      if (typeof raw === 'string' && /^(false|0|no|off)$/i.test(raw.trim())) return false;
      throw new ConfigError(where, `expected true or false, got ${describe(raw)}`);
    case 'map':
      return coerceMap(raw, where);
    case 'list':
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
      throw new ConfigError(where, `expected a list of strings, got ${describe(raw)}`);
  }
}

/** A TOML table of strings, or from the environment JSON (`{"a":"b"}`) or `a=b,c=d`. */
function coerceMap(raw: RawValue, where: string): Record<string, string> {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('{')) {
      try {
        value = JSON.parse(text);
      } catch {
        throw new ConfigError(where, 'is not valid JSON');
      }
    } else {
      value = Object.fromEntries(
        text.split(',').filter((pair) => pair.trim()).map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new ConfigError(where, `expected name=role pairs, got "${pair}"`);
          return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        }),
      );
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string' && v.length > 0)) {
    throw new ConfigError(where, 'expected a table of names to role names');
  }
  return value as Record<string, string>;
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Go-style durations as pg_tileserv accepts them: "1h", "90s", "1h30m", "500ms". */
export function parseDurationSeconds(text: string, key: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== text.trim()) {
    throw new ConfigError(key, `expected a duration such as "1h", "30m" or "90s", got "${text}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
}

function describe(raw: unknown): string {
  if (Array.isArray(raw)) return 'a list';
  if (raw !== null && typeof raw === 'object') return 'a table';
  return `${typeof raw} ${JSON.stringify(raw)}`;
}

import { CONFIG_KEYS, ConfigKey, FieldSpec, KeySpec } from './config-keys';
import { ConfigError } from './config-error';

export type RawValue = string | number | boolean | unknown[] | Record<string, unknown>;
/** A value inside a table: [CoordinateSystem].SRID, [[Layer]].Properties. */
export type FieldValue = string | number | boolean | string[];
export type ConfigValue = FieldValue | Record<string, string> | Record<string, FieldValue> | Record<string, FieldValue>[];

/** Finds the canonical key for a name written in any case (TOML and env are case-insensitive, as in pg_tileserv). */
export function canonicalKey(name: string): ConfigKey | undefined {
  return canonicalName(Object.keys(CONFIG_KEYS) as ConfigKey[], name);
}

export function canonicalName<T extends string>(names: readonly T[], name: string): T | undefined {
  const lower = name.toLowerCase();
  return names.find((k) => k.toLowerCase() === lower);
}

/**
 * Coerces a value from TOML (typed) or from the environment (always a string) to the key's kind,
 * or throws a ConfigError naming the key and what was wrong.
 */
export function coerceValue(key: ConfigKey, raw: RawValue, source: string): ConfigValue {
  const spec: KeySpec = CONFIG_KEYS[key];
  const where = `${key} (from ${source})`;
  switch (spec.kind) {
    case 'duration':
      if (typeof raw !== 'string') throw new ConfigError(where, `expected a duration such as "1h" or "30m", got ${describe(raw)}`);
      parseDurationSeconds(raw, where);
      return raw;
    case 'map':
      return coerceMap(raw, where);
    case 'table':
      return coerceTable(key, spec.fields ?? {}, raw, source);
    case 'tables':
      if (!Array.isArray(raw) || !raw.every(isTable)) throw new ConfigError(where, `expected [[${key}]] tables, got ${describe(raw)}`);
      return raw.map((table, n) => coerceTable(`${key}[${n}]`, spec.fields ?? {}, table, source, labelOf(table)));
    default:
      return coerceField({ ...spec, kind: spec.kind }, raw, where);
  }
}

/** One value of a plain kind; `where` names the key (and source) in the error. */
export function coerceField(spec: FieldSpec, raw: unknown, where: string): FieldValue {
  switch (spec.kind) {
    case 'string':
      if (typeof raw !== 'string') throw new ConfigError(where, `expected a string, got ${describe(raw)}`);
      return raw;
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n)) throw new ConfigError(where, `expected a whole number, got ${describe(raw)}`);
      return inRange(spec, n, where);
    }
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw new ConfigError(where, `expected a finite number, got ${describe(raw)}`);
      return inRange(spec, n, where);
    }
    case 'bool':
      // viper reads booleans with strconv.ParseBool (1, t, true, 0, f, false in any case); yes/no/on/off are ours.
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|t|1|yes|on)$/i.test(raw.trim())) return true;
      if (typeof raw === 'string' && /^(false|f|0|no|off)$/i.test(raw.trim())) return false;
      throw new ConfigError(where, `expected true or false, got ${describe(raw)}`);
    case 'list':
      if (typeof raw === 'string') return raw.split(spec.splitOnSpace ? /[\s,]+/ : ',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
      throw new ConfigError(where, `expected a list of strings, got ${describe(raw)}`);
  }
}

function inRange(spec: FieldSpec, n: number, where: string): number {
  const low = spec.min !== undefined && n < spec.min;
  const high = spec.max !== undefined && n > spec.max;
  if (!low && !high) return n;
  if (spec.min !== undefined && spec.max !== undefined) throw new ConfigError(where, `must be between ${spec.min} and ${spec.max}, got ${n}`);
  throw new ConfigError(where, low ? `must be at least ${spec.min}, got ${n}` : `must be at most ${spec.max}, got ${n}`);
}

/** A TOML table whose keys (any case) are the spec's fields; an unknown key names itself, e.g. `Layer[2].MaxZum`. */
function coerceTable(name: string, fields: Record<string, FieldSpec>, raw: unknown, source: string, label = ''): Record<string, FieldValue> {
  if (!isTable(raw)) throw new ConfigError(`${name} (from ${source})`, `expected a table ([${name}]), got ${describe(raw)}`);
  const out: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(raw)) {
    const canonical = canonicalName(Object.keys(fields), field);
    const where = `${name}.${canonical ?? field}${label} (from ${source})`;
    if (!canonical) throw new ConfigError(where, `unknown key; known keys: ${Object.keys(fields).join(', ')}`);
    out[canonical] = coerceField(fields[canonical], value, where);
  }
  return out;
}

/** ` (Id "public.roads")` for a [[Layer]] table's errors, when it has an Id. */
function labelOf(table: Record<string, unknown>): string {
  const id = Object.entries(table).find(([k]) => k.toLowerCase() === 'id')?.[1];
  return typeof id === 'string' ? ` (Id ${JSON.stringify(id)})` : '';
}

export function isTable(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Date);
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
  if (!isTable(value) || !Object.values(value).every((v) => typeof v === 'string' && v.length > 0)) {
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
  if (raw instanceof Date) return 'a date';
  if (raw !== null && typeof raw === 'object') return 'a table';
  return `${typeof raw} ${JSON.stringify(raw)}`;
}

/**
 * The column types a filter can compare, by pg_type.typname. Anything else (json, arrays, enums,
 * ranges, time, ...) can still be tested with IS [NOT] NULL, and nothing more.
 */
export type SqlType = 'int2' | 'int4' | 'int8' | 'numeric' | 'float4' | 'float8' | 'text' | 'varchar' | 'bpchar' | 'name' | 'bool' | 'date' | 'timestamp' | 'timestamptz' | 'uuid';

/** Types that compare with each other (PostgreSQL has the cross-type operators, in one btree family). */
export type Family = 'number' | 'string' | 'bool' | 'temporal' | 'uuid';

const TYPES: Record<SqlType, { family: Family; label: string }> = {
  int2: { family: 'number', label: 'integer' },
  int4: { family: 'number', label: 'integer' },
  int8: { family: 'number', label: 'integer' },
  numeric: { family: 'number', label: 'numeric' },
  float4: { family: 'number', label: 'floating-point' },
  float8: { family: 'number', label: 'floating-point' },
  text: { family: 'string', label: 'text' },
  varchar: { family: 'string', label: 'text' },
  bpchar: { family: 'string', label: 'text' },
  name: { family: 'string', label: 'text' },
  bool: { family: 'bool', label: 'boolean' },
  date: { family: 'temporal', label: 'date' },
  timestamp: { family: 'temporal', label: 'timestamp' },
  timestamptz: { family: 'temporal', label: 'timestamptz' },
  uuid: { family: 'uuid', label: 'uuid' },
};

export function sqlType(typname: string): SqlType | null {
  return Object.prototype.hasOwnProperty.call(TYPES, typname) ? (typname as SqlType) : null;
}

export function family(type: SqlType): Family {
  return TYPES[type].family;
}

/** As messages say it: "date property 'day'". */
export function typeLabel(type: SqlType): string {
  return TYPES[type].label;
}

export function isInteger(type: SqlType): boolean {
  return type === 'int2' || type === 'int4' || type === 'int8';
}

export function isFloat(type: SqlType): boolean {
  return type === 'float4' || type === 'float8';
}

const INTEGER_RANGES: ReadonlyArray<[SqlType, bigint]> = [
  ['int2', 32767n],
  ['int4', 2147483647n],
  ['int8', 9223372036854775807n],
];

/**
 * The narrowest of int2/int4/int8, no narrower than `atLeast`, that holds the integer `text`
 * (digits with an optional '-'); numeric when none does or the text is not an integer.
 */
export function integerTypeFor(text: string, atLeast: SqlType = 'int4'): SqlType {
  const digits = text.startsWith('-') ? text.slice(1) : text;
  if (digits === '' || digits.length > 25 || [...digits].some((d) => d < '0' || d > '9')) return 'numeric';
  const value = BigInt(text);
  const magnitude = value < 0n ? -value - 1n : value;
  const from = INTEGER_RANGES.findIndex(([type]) => type === atLeast);
  for (const [type, max] of INTEGER_RANGES.slice(Math.max(from, 0))) if (magnitude <= max) return type;
  return 'numeric';
}

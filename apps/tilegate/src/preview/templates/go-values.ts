/**
 * Go values as the template engine sees them. A JS `Map` is a Go map (ranged in sorted key
 * order), an array is a slice, strings, numbers and booleans are themselves (an integral number
 * is an int), null and undefined are nil, and any other object is a struct whose own properties
 * are its fields in declaration order. `goStruct` names the type for error messages, gives the
 * fields' json tags and adds zero-argument methods as hidden fields.
 */
const META = Symbol('go struct');

export interface GoStructType {
  /** As Go prints it in errors: `main.LayerTable`. */
  readonly name: string;
  /** Go json tags: field → `key` or `key,omitempty`; untagged fields keep their names. */
  readonly json?: Readonly<Record<string, string>>;
}

interface Meta {
  type: GoStructType;
  methods: Readonly<Record<string, unknown>> | null;
}

type Struct = Record<string, unknown> & { [META]?: Meta };

/**
 * Makes `fields` a struct value (in place: pass a fresh object). Its type and methods sit under a symbol key, which Object.keys and
 * Object.values skip: a method can be called from a template but is not printed or marshalled.
 */
export function goStruct<T extends Record<string, unknown>>(type: GoStructType, fields: T, methods: Record<string, unknown> | null = null): T {
  (fields as Struct)[META] = { type, methods };
  return fields;
}

function isStruct(value: unknown): value is Struct {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Map) return 'map';
  if (isStruct(value)) return value[META]?.type.name ?? 'struct';
  return typeof value;
}

/** `.Name` on a value. A missing map key is the zero value; a missing struct field is an error. */
export function fieldOf(value: unknown, name: string): unknown {
  if (value instanceof Map) return value.get(name);
  // A typed map's zero value is a zero struct, whose fields are zero too.
  if (value === null || value === undefined) return undefined;
  if (isStruct(value)) {
    if (Object.prototype.hasOwnProperty.call(value, name)) return value[name];
    const methods = value[META]?.methods;
    if (methods && Object.prototype.hasOwnProperty.call(methods, name)) return methods[name];
  }
  throw new Error(`can't evaluate field ${name} in type ${goTypeName(value)}`);
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false; structs are true. */
export function truth(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return true;
}

/** Go's map key order: byte order of the UTF-8 encoding, which is code point order. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  if (x === y) return 0;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x.charCodeAt(i);
    const q = y.charCodeAt(i);
    if (p === q) continue;
    // UTF-16 order is code point order except where a surrogate meets U+E000..U+FFFF.
    const ps = p >= 0xd800 && p <= 0xdfff;
    const qs = q >= 0xd800 && q <= 0xdfff;
    if (ps !== qs && (p >= 0xe000 || q >= 0xe000)) return ps ? 1 : -1;
    return p - q;
  }
  return x.length - y.length;
}

export function sortedKeys(map: Map<unknown, unknown>): unknown[] {
  return [...map.keys()].sort(compareKeys);
}

/** fmt's %v. */
export function sprint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(sprint).join(' ')}]`;
  if (value instanceof Map) return `map[${sortedKeys(value).map((k) => `${sprint(k)}:${sprint(value.get(k))}`).join(' ')}]`;
  if (isStruct(value)) return `{${Object.values(value).map(sprint).join(' ')}}`;
  return String(value);
}

/** What html/template prints for a value before escaping it: nil prints nothing. */
export function printed(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? '' : sprint(value);
}

/** An int as Go prints it; a float as %v (strconv 'g', shortest, exponent from 1e+06 or below 1e-04). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mantissa, e] = n.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** encoding/json's Marshal: map keys sorted, struct fields by json tag, omitempty honoured. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value instanceof Map) return `{${sortedKeys(value).map((k) => `${JSON.stringify(String(k))}:${goJson(value.get(k))}`).join(',')}}`;
  if (!isStruct(value)) return 'null';
  const tags = value[META]?.type.json ?? {};
  const members: string[] = [];
  for (const [field, v] of Object.entries(value)) {
    const [key, option] = (tags[field] ?? field).split(',');
    if (key === '-' || (option === 'omitempty' && !isStruct(v) && !truth(v))) continue;
    members.push(`${JSON.stringify(key || field)}:${goJson(v)}`);
  }
  return `{${members.join(',')}}`;
}

import { compareKeys, goTypeName, printed, sprint, truth } from './go-values';

/**
 * Template functions. Argument counts are checked when the template is parsed; `and` and `or`
 * evaluate their arguments lazily, as Go's do since 1.18.
 */
export interface GoFunc {
  readonly min: number;
  readonly max: number;
  readonly lazy?: 'and' | 'or';
  call(args: unknown[]): unknown;
}
export type FuncMap = ReadonlyMap<string, GoFunc>;

const fn = (min: number, max: number, call: (args: unknown[]) => unknown): GoFunc => ({ min, max, call });
const ANY = Infinity;

function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`wrong type for value; expected string; got ${goTypeName(v)}`);
  return v;
}

function int(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`wrong type for value; expected int; got ${goTypeName(v)}`);
  return v;
}

function basicKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return typeof v;
  throw new Error(`invalid type for comparison: ${goTypeName(v)}`);
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return a === b;
}

function less(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  if (ka !== basicKind(b) || (ka !== 'string' && ka !== 'number')) throw new Error('incompatible types for comparison');
  return compareKeys(a, b) < 0;
}

function len(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  throw new Error(`len of type ${goTypeName(v)}`);
}

function index(item: unknown, keys: unknown[]): unknown {
  let v = item;
  for (const key of keys) {
    if (v instanceof Map) v = v.get(key);
    else if (Array.isArray(v)) {
      const i = int(key);
      if (i < 0 || i >= v.length) throw new Error(`index out of range: ${i}`);
      v = v[i];
    } else if (v === null || v === undefined) throw new Error('index of untyped nil');
    else throw new Error(`can't index item of type ${goTypeName(v)}`);
  }
  return v;
}

/** fmt.Sprint: a space between operands when neither is a string. */
function goPrint(args: unknown[]): string {
  return args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + sprint(a)).join('');
}

/** strconv.Quote, for printable text (control characters escaped). */
export function goQuote(s: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  return `"${s.replace(/[\x00-\x1f\x7f\\"]/g, (c) => named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

/** printf with the verbs templates use: %v %s %d %q %t %%; no flags or widths. */
function printf(format: string, args: unknown[]): string {
  let next = 0;
  return format.replace(/%(.?)/g, (_, verb: string) => {
    if (verb === '%') return '%';
    if (!'vsdqt'.includes(verb) || !verb) throw new Error(`printf verb %${verb} is not supported`);
    if (next >= args.length) throw new Error(`printf: missing argument for %${verb}`);
    const a = args[next++];
    if (verb === 'd') return String(int(a));
    if (verb === 'q') return goQuote(str(a));
    if (verb === 't' && typeof a !== 'boolean') throw new Error(`printf: %t of ${goTypeName(a)}`);
    return sprint(a);
  });
}

/** text/template's predefined functions, less html, js, urlquery, call and slice. */
export const BUILTINS: FuncMap = new Map<string, GoFunc>([
  ['and', { min: 1, max: ANY, lazy: 'and', call: () => undefined }],
  ['or', { min: 1, max: ANY, lazy: 'or', call: () => undefined }],
  ['not', fn(1, 1, ([v]) => !truth(v))],
  ['eq', fn(2, ANY, ([a, ...bs]) => bs.some((b) => equal(a, b)))],
  ['ne', fn(2, 2, ([a, b]) => !equal(a, b))],
  ['lt', fn(2, 2, ([a, b]) => less(a, b))],
  ['le', fn(2, 2, ([a, b]) => less(a, b) || equal(a, b))],
  ['gt', fn(2, 2, ([a, b]) => less(b, a))],
  ['ge', fn(2, 2, ([a, b]) => less(b, a) || equal(a, b))],
  ['len', fn(1, 1, ([v]) => len(v))],
  ['index', fn(1, ANY, ([item, ...keys]) => index(item, keys))],
  ['print', fn(0, ANY, (args) => goPrint(args))],
  ['println', fn(0, ANY, (args) => `${args.map(sprint).join(' ')}\n`)],
  ['printf', fn(1, ANY, ([format, ...args]) => printf(str(format), args))],
]);

/** Why a function Go has is missing here, for the parse error. */
export const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['html', 'values are escaped for their context already'],
  ['js', 'values are escaped for their context already'],
  ['urlquery', 'values are escaped for their context already'],
  ['call', 'template data has no functions'],
  ['slice', 'not implemented'],
]);

/** strings.Replace(s, from, to, -1): an empty `from` matches before every character and at the end. */
function replaceAll(s: string, from: string, to: string): string {
  return from ? s.replaceAll(from, to) : to + [...s].join(to) + (s ? to : '');
}

const cutset = (set: string) => new RegExp(`^[${set.replace(/[\\\]^-]/g, '\\$&')}]+|[${set.replace(/[\\\]^-]/g, '\\$&')}]+$`, 'gu');

/** The part of sprig (github.com/Masterminds/sprig) that layer lists plausibly use; pg_tileserv gives all of sprig to index.html. */
export const SPRIG: FuncMap = new Map<string, GoFunc>([
  ['replace', fn(3, 3, ([from, to, s]) => replaceAll(str(s), str(from), str(to)))],
  ['lower', fn(1, 1, ([s]) => str(s).toLowerCase())],
  ['upper', fn(1, 1, ([s]) => str(s).toUpperCase())],
  // strings.Title: a letter after anything but a letter, digit or underscore starts a word.
  ['title', fn(1, 1, ([s]) => str(s).replace(/(?<![\p{L}\p{N}_])\p{L}/gu, (c) => c.toUpperCase()))],
  ['trim', fn(1, 1, ([s]) => str(s).replace(/^\s+|\s+$/gu, ''))],
  ['trimAll', fn(2, 2, ([set, s]) => (str(set) ? str(s).replace(cutset(str(set)), '') : str(s)))],
  ['trimPrefix', fn(2, 2, ([p, s]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)))],
  ['trimSuffix', fn(2, 2, ([p, s]) => (str(p) && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s)))],
  ['contains', fn(2, 2, ([sub, s]) => str(s).includes(str(sub)))],
  ['hasPrefix', fn(2, 2, ([p, s]) => str(s).startsWith(str(p)))],
  ['hasSuffix', fn(2, 2, ([p, s]) => str(s).endsWith(str(p)))],
  ['nospace', fn(1, 1, ([s]) => str(s).replace(/\s/gu, ''))],
  ['repeat', fn(2, 2, ([n, s]) => str(s).repeat(Math.max(0, int(n))))],
  ['default', fn(1, 2, ([d, ...given]) => (given.length && truth(given[0]) ? given[0] : d))],
  ['empty', fn(1, 1, ([v]) => !truth(v))],
  ['toString', fn(1, 1, ([v]) => sprint(v))],
  ['quote', fn(0, ANY, (args) => args.filter((a) => a != null).map((a) => goQuote(sprint(a))).join(' '))],
  ['squote', fn(0, ANY, (args) => args.filter((a) => a != null).map((a) => `'${sprint(a)}'`).join(' '))],
  ['cat', fn(0, ANY, (args) => args.filter((a) => a != null).map(sprint).join(' '))],
  ['join', fn(2, 2, ([sep, list]) => (Array.isArray(list) ? list.filter((a) => a != null).map(printed) : [printed(list)]).join(str(sep)))],
  ['splitList', fn(2, 2, ([sep, s]) => str(s).split(str(sep)))],
]);

export function withSprig(): FuncMap {
  return new Map([...BUILTINS, ...SPRIG]);
}

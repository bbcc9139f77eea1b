/**
 * A verified token's claims as they reach PostgreSQL. `json` is the payload exactly as the token
 * carried it (the signed bytes, decoded as UTF-8), never a re-encoding: `JSON.parse` and
 * `JSON.stringify` round large integers to doubles (9007199254740993 becomes ...992) and turn
 * `1e400` into `null`, which made one tenant's policy match another's rows. `scalars` are the
 * top-level string, number and boolean claims for `jwt.claims.<key>`, numbers as their own text.
 */
export interface VerifiedClaims {
  /** The parsed claims, for choosing the role and for answers such as whoami. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly json: string;
  readonly scalars: ReadonlyArray<readonly [string, string]>;
}

/** Claim keys that become `jwt.claims.<key>` settings; anything else stays only in the JSON. */
const SAFE_CLAIM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** More top-level scalars than this only cost every transaction; the JSON keeps them all. */
const MAX_SCALAR_CLAIMS = 100;

export function verifiedClaims(json: string, values: Readonly<Record<string, unknown>>): VerifiedClaims {
  // PostgreSQL's text cannot hold NUL, and json ->> refuses to decode an escaped one.
  if (json.includes('\u0000') || /\\u0000/i.test(json)) throw new ClaimsNotStorableError('the token claims contain a NUL character');
  const scalars = topLevelScalars(json).filter(([key]) => SAFE_CLAIM_KEY.test(key)).slice(0, MAX_SCALAR_CLAIMS);
  return Object.freeze({ values, json, scalars: Object.freeze(scalars) });
}

/** Claims that are valid JSON but cannot be handed to PostgreSQL as they are. */
export class ClaimsNotStorableError extends Error {}

/**
 * The top-level scalar members of a JSON object, in order, the last of a repeated key winning
 * (as JSON.parse and PostgreSQL's json operators both do): strings decoded, numbers and booleans
 * as written. Objects, arrays and nulls are skipped. One linear pass; the text has already been
 * parsed once by the verifier, so malformed input is an error, not a guess.
 */
export function topLevelScalars(json: string): Array<[string, string]> {
  const scan = new JsonScanner(json);
  const found = new Map<string, string>();
  scan.whitespace();
  scan.expect('{');
  scan.whitespace();
  if (scan.peek() === '}') return [];
  for (;;) {
    scan.whitespace();
    const key = JSON.parse(scan.stringToken()) as string;
    scan.whitespace();
    scan.expect(':');
    scan.whitespace();
    const value = scan.scalarOrSkip();
    found.delete(key);
    if (value !== undefined) found.set(key, value);
    scan.whitespace();
    if (scan.peek() === ',') {
      scan.expect(',');
      continue;
    }
    scan.expect('}');
    return [...found.entries()];
  }
}

/**
 * The top-level members of a JSON object as written: each key (decoded) with its value's own
 * text, so a payload can be rebuilt without a JSON round trip changing any number in it.
 */
export function topLevelMembers(json: string): Array<[string, string]> {
  const scan = new JsonScanner(json);
  const members: Array<[string, string]> = [];
  scan.whitespace();
  scan.expect('{');
  scan.whitespace();
  if (scan.peek() === '}') return members;
  for (;;) {
    scan.whitespace();
    const key = JSON.parse(scan.stringToken()) as string;
    scan.whitespace();
    scan.expect(':');
    scan.whitespace();
    members.push([key, scan.rawValue()]);
    scan.whitespace();
    if (scan.peek() === ',') {
      scan.expect(',');
      continue;
    }
    scan.expect('}');
    return members;
  }
}

class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  peek(): string {
    return this.text[this.at] ?? '';
  }

  whitespace(): void {
    while (' \t\n\r'.includes(this.peek()) && this.at < this.text.length) this.at++;
  }

  expect(char: string): void {
    if (this.text[this.at] !== char) throw new SyntaxError(`expected '${char}' at ${this.at} of the claims`);
    this.at++;
  }

  /** A string token including its quotes. */
  stringToken(): string {
    const start = this.at;
    this.expect('"');
    while (this.at < this.text.length) {
      const char = this.text[this.at++];
      if (char === '\\') this.at++;
      else if (char === '"') return this.text.slice(start, this.at);
    }
    throw new SyntaxError('unterminated string in the claims');
  }

  /** A scalar's text for a setting (strings decoded), or undefined after skipping null, an object or an array. */
  scalarOrSkip(): string | undefined {
    const char = this.peek();
    if (char === '"') return JSON.parse(this.stringToken()) as string;
    if (char === '{' || char === '[') {
      this.skipNested();
      return undefined;
    }
    const start = this.at;
    while (this.at < this.text.length && !',}] \t\n\r'.includes(this.text[this.at])) this.at++;
    const word = this.text.slice(start, this.at);
    if (word === 'null') return undefined;
    if (word === 'true' || word === 'false' || /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return word;
    throw new SyntaxError(`unexpected '${word.slice(0, 20)}' in the claims`);
  }

  /** Any value's text as written. */
  rawValue(): string {
    const start = this.at;
    const char = this.peek();
    if (char === '"') this.stringToken();
    else if (char === '{' || char === '[') this.skipNested();
    else this.scalarOrSkip();
    return this.text.slice(start, this.at);
  }

  private skipNested(): void {
    let depth = 0;
    do {
      const char = this.peek();
      if (char === '') throw new SyntaxError('unterminated object or array in the claims');
      if (char === '"') {
        this.stringToken();
        continue;
      }
      if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') depth--;
      this.at++;
    } while (depth > 0);
  }
}

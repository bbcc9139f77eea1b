import { InvalidFilterError, quoted } from './filter-error';
import { FilterLimits } from './filter-limits';
import { isDigit, isIdentifierPart, isIdentifierStart, isSurrogate, isWhitespace } from './cql-chars';
import { checkDate, checkTimestamp } from './temporal-literal';

/**
 * - word: an unquoted identifier; keywords are words the parser recognises (case-insensitively).
 * - quoted: a "double-quoted" property name ("" is a quote inside it).
 * - string: a 'character literal' ('' is a quote inside it; a backslash is just a backslash: CQL2's
 *   alternative \' would leave no way to write a string that ends in one, and pg_tileserv has none).
 * - number: unsigned, as written: 12, 1.5, .5, 1., 2E-3.
 * - date, timestamp: pg_tileserv's unquoted 2020-01-01 and 2020-01-01T10:00[:00[.5]][Z|±hh:mm].
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'date' | 'timestamp' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The name, the string's content, the number or operator as written. */
  value: string;
  /** 1-based character position. */
  pos: number;
  /** `value` in upper case, for keyword tests (words only; '' otherwise). */
  upper: string;
}

const OPERATORS = ['<>', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '^'];

/** Splits filter text into tokens in one left-to-right pass; every loop consumes input. */
export function lex(text: string, limits: FilterLimits): Token[] {
  const chars = Array.from(text);
  const cps = chars.map((c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number) => {
    if (tokens.length >= limits.maxTokens) throw InvalidFilterError.at(start + 1, `more than ${limits.maxTokens} tokens`);
    tokens.push({ kind, value, pos: start + 1, upper: kind === 'word' ? value.toUpperCase() : '' });
  };

  while (i < cps.length) {
    const cp = cps[i];
    const start = i;
    if (cp === 0) throw InvalidFilterError.at(i + 1, 'NUL character');
    if (isSurrogate(cp)) throw InvalidFilterError.at(i + 1, 'invalid character (unpaired surrogate)');
    if (isWhitespace(cp)) {
      i++;
    } else if (cp === 0x27 /* ' */) {
      const [value, next] = scanQuoted(chars, cps, i, 0x27);
      push('string', value, start);
      i = next;
    } else if (cp === 0x22 /* " */) {
      const [value, next] = scanQuoted(chars, cps, i, 0x22);
      if (value === '') throw InvalidFilterError.at(start + 1, 'empty property name ""');
      push('quoted', value, start);
      i = next;
    } else if (isDigit(cp) || (cp === 0x2e && isDigit(cps[i + 1]))) {
      const temporal = isTemporalStart(cps, i);
      const end = temporal ? scanTemporal(cps, i) : scanNumber(cps, i);
      if (end < cps.length && isIdentifierPart(cps[end])) {
        throw InvalidFilterError.at(start + 1, `malformed ${temporal ? 'date or timestamp' : 'number'} ${quoted(chars.slice(start, end + 1).join(''))}`);
      }
      const raw = chars.slice(start, end).join('');
      push(temporal ? temporalKind(raw, start) : 'number', raw, start);
      i = end;
    } else if (isIdentifierStart(cp)) {
      let end = i + 1;
      while (end < cps.length && isIdentifierPart(cps[end])) end++;
      push('word', chars.slice(i, end).join(''), start);
      i = end;
    } else if (cp === 0x28 || cp === 0x29 || cp === 0x2c) {
      push(chars[i] as TokenKind, chars[i], start);
      i++;
    } else {
      const op = OPERATORS.find((o) => chars[i] === o[0] && (o.length === 1 || chars[i + 1] === o[1]));
      if (op === undefined) {
        const hint = chars[i] === '!' ? "write <> for 'not equal'" : undefined;
        throw InvalidFilterError.at(i + 1, `unexpected character ${quoted(chars[i])}`, hint);
      }
      push('op', op, start);
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', value: '', pos: cps.length + 1, upper: '' });
  return tokens;
}

/** From the opening quote to after the closing one; a doubled quote is a quote. */
function scanQuoted(chars: string[], cps: number[], open: number, quote: number): [string, number] {
  const parts: string[] = [];
  let i = open + 1;
  while (i < cps.length) {
    if (cps[i] === 0) throw InvalidFilterError.at(i + 1, 'NUL character');
    if (isSurrogate(cps[i])) throw InvalidFilterError.at(i + 1, 'invalid character (unpaired surrogate)');
    if (cps[i] === quote) {
      if (cps[i + 1] !== quote) return [parts.join(''), i + 1];
      parts.push(chars[i]);
      i += 2;
    } else {
      parts.push(chars[i]);
      i++;
    }
  }
  const what = quote === 0x27 ? 'string' : 'quoted property name';
  throw InvalidFilterError.at(open + 1, `unterminated ${what}`);
}

function scanDigits(cps: number[], i: number): number {
  while (isDigit(cps[i])) i++;
  return i;
}

/** unsignedNumericLiteral: digits [. [digits]] | . digits, then [E [sign] digits]. */
function scanNumber(cps: number[], i: number): number {
  i = scanDigits(cps, i);
  if (cps[i] === 0x2e) i = scanDigits(cps, i + 1);
  if (cps[i] === 0x45 || cps[i] === 0x65) {
    const sign = cps[i + 1] === 0x2b || cps[i + 1] === 0x2d ? 1 : 0;
    if (isDigit(cps[i + 1 + sign])) i = scanDigits(cps, i + 1 + sign);
  }
  return i;
}

/** Four digits, a dash and a digit: this is a date (pg_tileserv), never arithmetic. */
function isTemporalStart(cps: number[], i: number): boolean {
  return isDigit(cps[i]) && isDigit(cps[i + 1]) && isDigit(cps[i + 2]) && isDigit(cps[i + 3]) && cps[i + 4] === 0x2d && isDigit(cps[i + 5]);
}

/** The extent of a date or timestamp: digits, '-', ':', '.', T, Z and an offset sign after the time. */
function scanTemporal(cps: number[], i: number): number {
  let end = scanDateish(cps, i);
  if ((cps[end] === 0x54 || cps[end] === 0x74) && isDigit(cps[end + 1])) {
    end = scanTimeish(cps, end + 1);
    if (cps[end] === 0x5a || cps[end] === 0x7a) end++;
    else if ((cps[end] === 0x2b || cps[end] === 0x2d) && isDigit(cps[end + 1])) end = scanTimeish(cps, end + 1);
  }
  return end;
}

function scanDateish(cps: number[], i: number): number {
  while (isDigit(cps[i]) || (cps[i] === 0x2d && isDigit(cps[i + 1]))) i++;
  return i;
}

function scanTimeish(cps: number[], i: number): number {
  while (isDigit(cps[i]) || ((cps[i] === 0x3a || cps[i] === 0x2e) && isDigit(cps[i + 1]))) i++;
  return i;
}

function temporalKind(raw: string, start: number): 'date' | 'timestamp' {
  if (raw.length === 10 && checkDate(raw) !== null) return 'date';
  if (raw.length > 10 && checkTimestamp(raw, true) !== null) return 'timestamp';
  const what = raw.length > 10 ? 'timestamp' : 'date';
  const hint = what === 'date' ? 'dates are YYYY-MM-DD' : 'timestamps are YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]';
  throw InvalidFilterError.at(start + 1, `malformed ${what} ${quoted(raw)}`, hint);
}

/**
 * Splits a Go template into text and actions, and an action into tokens, as text/template's
 * lexer does: `{{`/`}}` delimiters, `{{- ` and ` -}}` trimming the white space beside them,
 * `{{/* comments *\/}}`, quoted and raw strings (which may contain `}}`), numbers, fields,
 * variables, identifiers, `|`, `(`, `)`, `:=`, `=` and `,`.
 */
export type Token =
  /** `.` (no names) or `.A.B`. */
  | { t: 'field'; names: string[]; pos: number }
  /** `$`, `$x` or `$x.A.B`. */
  | { t: 'var'; name: string; names: string[]; pos: number }
  | { t: 'ident'; name: string; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'number'; value: number; pos: number }
  | { t: 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma'; pos: number };

export type Item = { kind: 'text'; text: string; pos: number } | { kind: 'action'; tokens: Token[]; pos: number; source: string };

/** Positions to `file:line` messages. */
export class TemplateSource {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly name: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  line(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  error(pos: number, message: string): Error {
    return new Error(`template ${this.name}:${this.line(pos)}: ${message}`);
  }
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

export function lex(src: TemplateSource): Item[] {
  const s = src.text;
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = s.indexOf('{{', pos);
    let text = s.slice(pos, open < 0 ? s.length : open);
    let textPos = pos;
    if (trimNext) {
      const trimmed = text.replace(/^[ \t\r\n]+/, '');
      textPos += text.length - trimmed.length;
      text = trimmed;
    }
    if (open < 0) {
      if (text) items.push({ kind: 'text', text, pos: textPos });
      return items;
    }
    let i = open + 2;
    if (s[i] === '-' && isSpace(s[i + 1])) {
      text = text.replace(/[ \t\r\n]+$/, '');
      i += 2;
    }
    if (text) items.push({ kind: 'text', text, pos: textPos });
    if (s.startsWith('/*', i)) {
      const close = s.indexOf('*/', i + 2);
      if (close < 0) throw src.error(open, 'unclosed comment');
      const after = close + 2;
      trimNext = isSpace(s[after]) && s.startsWith('-}}', after + 1);
      if (!trimNext && !s.startsWith('}}', after)) throw src.error(open, 'comment ends before closing delimiter');
      pos = trimNext ? after + 4 : after + 2;
      continue;
    }
    const action = lexAction(src, i, open);
    items.push({ kind: 'action', tokens: action.tokens, pos: open, source: s.slice(open, action.end) });
    pos = action.end;
    trimNext = action.trim;
  }
}

function lexAction(src: TemplateSource, start: number, open: number): { tokens: Token[]; end: number; trim: boolean } {
  const s = src.text;
  const tokens: Token[] = [];
  let i = start;
  for (;;) {
    const spaced = isSpace(s[i]);
    while (isSpace(s[i])) i++;
    if (s.startsWith('}}', i)) return { tokens, end: i + 2, trim: false };
    if (spaced && s.startsWith('-}}', i)) return { tokens, end: i + 3, trim: true };
    if (i >= s.length) throw src.error(open, 'unclosed action');
    const c = s[i];
    const pos = i;
    if (c === '|' || c === '(' || c === ')' || c === ',' || c === '=') {
      tokens.push({ t: c === '|' ? 'pipe' : c === '(' ? 'lparen' : c === ')' ? 'rparen' : c === ',' ? 'comma' : 'assign', pos });
      i++;
    } else if (c === ':') {
      if (s[i + 1] !== '=') throw src.error(pos, 'expected :=');
      tokens.push({ t: 'declare', pos });
      i += 2;
    } else if (c === '"' || c === '`' || c === "'") {
      const { value, end } = c === '`' ? rawString(src, i) : quoted(src, i, c);
      if (c === "'" && [...value].length !== 1) throw src.error(pos, 'malformed character constant');
      tokens.push(c === "'" ? { t: 'number', value: value.codePointAt(0)!, pos } : { t: 'string', value, pos });
      i = end;
    } else if (c === '$') {
      let j = i + 1;
      while (j < s.length && IDENT_PART.test(s[j])) j++;
      const chain = fieldChain(s, j);
      tokens.push({ t: 'var', name: s.slice(i, j), names: chain.names, pos });
      i = chain.end;
    } else if (c === '.' && !/\d/.test(s[i + 1] ?? '')) {
      const chain = fieldChain(s, i);
      tokens.push({ t: 'field', names: chain.names, pos });
      i = chain.names.length ? chain.end : i + 1;
    } else if (/[\d.+-]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m || IDENT_PART.test(s[i + m[0].length] ?? '') || s[i + m[0].length] === '.') throw src.error(pos, `bad number syntax: ${JSON.stringify(s.slice(i, i + 10))}`);
      tokens.push({ t: 'number', value: parseNumber(m[0]), pos });
      i += m[0].length;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < s.length && IDENT_PART.test(s[j])) j++;
      tokens.push({ t: 'ident', name: s.slice(i, j), pos });
      i = j;
    } else {
      throw src.error(pos, `unexpected ${JSON.stringify(c)} in action`);
    }
  }
}

function fieldChain(s: string, i: number): { names: string[]; end: number } {
  const names: string[] = [];
  while (s[i] === '.' && IDENT_START.test(s[i + 1] ?? '')) {
    let j = i + 2;
    while (j < s.length && IDENT_PART.test(s[j])) j++;
    names.push(s.slice(i + 1, j));
    i = j;
  }
  return { names, end: i };
}

function parseNumber(text: string): number {
  const sign = text[0] === '-' ? -1 : 1;
  const body = text.replace(/^[+-]/, '').replace(/_/g, '');
  const value = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body);
  return sign * value;
}

function rawString(src: TemplateSource, i: number): { value: string; end: number } {
  const close = src.text.indexOf('`', i + 1);
  if (close < 0) throw src.error(i, 'unterminated raw quoted string');
  return { value: src.text.slice(i + 1, close), end: close + 1 };
}

function quoted(src: TemplateSource, i: number, quote: string): { value: string; end: number } {
  const s = src.text;
  let value = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === quote) return { value, end: j + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = s[++j];
    if (e in SIMPLE_ESCAPES) value += SIMPLE_ESCAPES[e];
    else {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : /[0-7]/.test(e) ? 3 : 0;
      const hex = e === 'x' || e === 'u' || e === 'U';
      const code = hex ? s.slice(j + 1, j + 1 + digits) : s.slice(j, j + digits);
      if (!digits || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/).test(code) || code.length !== digits) throw src.error(j, 'invalid escape in quoted string');
      value += String.fromCodePoint(parseInt(code, hex ? 16 : 8));
      j += hex ? digits : digits - 1;
    }
  }
  throw src.error(i, 'unterminated quoted string');
}

import { goJson } from './go-values';

/**
 * html/template's escapers, with its tables: HTML text and quoted attribute values, unquoted
 * attribute values, URLs (scheme filter, normalizer, query escaper), JS string contents and JS
 * values. Each takes the printed value and returns what goes into the page.
 */
const HTML: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', '&': '&amp;', "'": '&#39;', '+': '&#43;', '<': '&lt;', '>': '&gt;' };
const HTML_SPECIAL = /[\0"&'+<>]/g;
const HAS_HTML_SPECIAL = /[\0"&'+<>]/;

export function escapeHtml(s: string): string {
  return HAS_HTML_SPECIAL.test(s) ? s.replace(HTML_SPECIAL, (c) => HTML[c]) : s;
}

const NOSPACE: Record<string, string> = {
  ...HTML,
  '\0': '&#xfffd;', '\t': '&#9;', '\n': '&#10;', '\v': '&#11;', '\f': '&#12;', '\r': '&#13;', ' ': '&#32;', '=': '&#61;', '`': '&#96;',
};
const NOSPACE_SPECIAL = /[\0\t\n\v\f\r "&'+<=>`]/g;

/**
 * For an unquoted attribute value, which white space or `>` would end. An empty value prints
 * ZgotmplZ, as in Go: nothing there would make the text after it the value.
 */
export function escapeHtmlNospace(s: string): string {
  return s ? s.replace(NOSPACE_SPECIAL, (c) => NOSPACE[c]) : 'ZgotmplZ';
}

/** What html/template prints instead of a URL whose scheme is not http, https or mailto. */
export const UNSAFE_URL = '#ZgotmplZ';

/** Relative URLs and http:, https: and mailto: pass; `javascript:`, `data:`, `vbscript:`… do not. */
export function filterUrl(s: string): string {
  const colon = s.indexOf(':');
  if (colon < 0) return s;
  const scheme = s.slice(0, colon);
  if (scheme.includes('/')) return s;
  const lower = scheme.toLowerCase();
  return lower === 'http' || lower === 'https' || lower === 'mailto' ? s : UNSAFE_URL;
}

const URL_NORMAL = /^[A-Za-z0-9\-._~!#$&*+,/:;=?@[\]]*$/;
const isUnreserved = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
const RESERVED = new Set([...'!#$&*+,/:;=?@[]'].map((c) => c.charCodeAt(0)));
const isHex = (b: number | undefined) => b !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(b));

/**
 * Percent-encodes the UTF-8 bytes a URL cannot hold as they are (quotes, parentheses, spaces,
 * `<`, non-ASCII…). Normalizing keeps reserved characters and valid %XX escapes; escaping (for
 * a query or fragment part) encodes everything but unreserved characters.
 */
function processUrl(s: string, normalize: boolean): string {
  if (normalize && URL_NORMAL.test(s)) return s;
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const keep = isUnreserved(b) || (normalize && (RESERVED.has(b) || (b === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2]))));
    out += keep ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export const normalizeUrl = (s: string) => processUrl(s, true);
export const escapeUrl = (s: string) => processUrl(s, false);

const JS_STR: Record<string, string> = {
  '\0': '\\u0000', '\t': '\\t', '\n': '\\n', '\v': '\\u000b', '\f': '\\f', '\r': '\\r', '"': '\\u0022', '`': '\\u0060', '&': '\\u0026',
  "'": '\\u0027', '+': '\\u002b', '/': '\\/', '<': '\\u003c', '>': '\\u003e', '\\': '\\\\', '\u2028': '\\u2028', '\u2029': '\\u2029',
};
const JS_STR_SPECIAL = /[\0-\x1f"`&'+/<>\\\u2028\u2029]/g;
const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Inside a quoted JS string: no quote, backslash, newline or `<` survives as itself. */
export function escapeJsString(s: string): string {
  return s.replace(JS_STR_SPECIAL, (c) => JS_STR[c] ?? hex4(c));
}

/**
 * Where a JS expression goes: the value as JSON (a string in quotes, a map as an object…), with
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as encoding/json does, padded with spaces when it
 * would otherwise run into a neighbouring name or keyword.
 */
export function jsValue(value: unknown): string {
  const json = goJson(value).replace(/[<>&\u2028\u2029]/g, hex4);
  return /^[\w$]|[\w$]$/.test(json) ? ` ${json} ` : json;
}

import { scanCss, scanJs } from './script-context';

/**
 * Where the template's own text leaves the output, read the way Go's html/template reads it (a
 * reduced copy of its state machine): HTML text and comments; tags and their attributes, each
 * attribute typed as plain, URL, JS (`on*`), CSS (`style`), srcset or a <script>'s `type`;
 * the inside of <title> and <textarea> (RCDATA); and <script> and <style> bodies, read as JS or
 * CSS up to their end tag. Like Go it rewrites the text on the way: HTML comments, and JS and
 * CSS comments in <script> and <style>, are dropped, and a `<` that starts no tag becomes `&lt;`.
 */
export type State =
  | 'text' | 'rcdata' | 'htmlCmt'
  | 'tag' | 'attrName' | 'afterName' | 'beforeValue' | 'attr'
  | 'js' | 'jsDq' | 'jsSq' | 'jsTmpl' | 'jsRe' | 'jsLineCmt' | 'jsBlockCmt'
  | 'css' | 'cssDq' | 'cssSq' | 'cssUrl' | 'cssLineCmt' | 'cssBlockCmt';
export type Element = '' | 'script' | 'style' | 'title' | 'textarea';
export type AttrKind = 'plain' | 'url' | 'js' | 'css' | 'srcset' | 'scriptType';

export interface Ctx {
  readonly state: State;
  /** The special element whose start tag or body this is. */
  readonly element: Element;
  readonly attr: AttrKind;
  /** An attribute value's quote, or ' ' when unquoted. */
  readonly delim: '' | '"' | "'" | ' ';
  /** In a URL attribute: nothing yet, path, query or fragment, or unknown after branches. */
  readonly urlPart: 'none' | 'pre' | 'query' | 'unknown';
  /** In JS: would a `/` start a regexp or divide? */
  readonly jsCtx: 'regexp' | 'div' | 'unknown';
  /** Inside a regexp's [character class]. */
  readonly reClass: boolean;
  /** A <script> type attribute's value so far. */
  readonly typeValue: string;
}

export const TEXT: Ctx = { state: 'text', element: '', attr: 'plain', delim: '', urlPart: 'none', jsCtx: 'regexp', reClass: false, typeValue: '' };

export function ctx(fields: Partial<Ctx>): Ctx {
  return { ...TEXT, ...fields };
}

export function sameCtx(a: Ctx, b: Ctx): boolean {
  return (Object.keys(TEXT) as Array<keyof Ctx>).every((k) => a[k] === b[k]);
}

/** Where two branches meet: equal, or equal but for what a `/` or a URL part would be. */
export function joinCtx(a: Ctx, b: Ctx): Ctx | null {
  if (sameCtx(a, b)) return a;
  if (sameCtx({ ...a, jsCtx: b.jsCtx }, b)) return { ...a, jsCtx: 'unknown' };
  if (sameCtx({ ...a, urlPart: b.urlPart }, b)) return { ...a, urlPart: 'unknown' };
  return null;
}

/** An error in the template's HTML at `offset` in the text node. */
export class ContextError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface Step {
  c: Ctx;
  i: number;
  out: string;
}

const SPACE = /[ \t\n\f\r]/;
const ELEMENTS: Record<string, Element> = { script: 'script', style: 'style', title: 'title', textarea: 'textarea' };
/** html/template's attrTypeMap, URL and CSS entries; `on*` is JS. */
const URL_ATTRS = new Set(['action', 'archive', 'background', 'cite', 'classid', 'codebase', 'data', 'formaction', 'href', 'icon', 'longdesc', 'manifest', 'poster', 'profile', 'src', 'usemap', 'xmlns']);
const JS_TYPES = new Set(['', 'application/ecmascript', 'application/javascript', 'application/json', 'application/ld+json', 'application/x-ecmascript', 'application/x-javascript', 'module', 'text/ecmascript', 'text/javascript', 'text/javascript1.0', 'text/javascript1.1', 'text/javascript1.2', 'text/javascript1.3', 'text/javascript1.4', 'text/javascript1.5', 'text/jscript', 'text/livescript', 'text/x-ecmascript', 'text/x-javascript']);

export function attrKind(name: string): AttrKind {
  let n = name;
  if (n.startsWith('data-')) n = n.slice(5);
  else if (n.includes(':')) {
    if (n.startsWith('xmlns:')) return 'url';
    n = n.slice(n.indexOf(':') + 1);
  }
  if (URL_ATTRS.has(n)) return 'url';
  if (n === 'style') return 'css';
  if (n === 'srcset') return 'srcset';
  if (n.startsWith('on')) return 'js';
  return /src|uri|url/.test(n) ? 'url' : 'plain';
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && SPACE.test(s[i])) i++;
  return i;
}

function eatTagName(s: string, i: number): number {
  if (!/[A-Za-z]/.test(s[i] ?? '')) return i;
  let j = i + 1;
  for (;;) {
    if (/[A-Za-z0-9]/.test(s[j] ?? '')) j++;
    else if ((s[j] === ':' || s[j] === '-') && /[A-Za-z0-9]/.test(s[j + 1] ?? '')) j += 2;
    else return j;
  }
}

function eatAttrName(s: string, i: number): number {
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (SPACE.test(c) || c === '=' || c === '>') return j;
    if (c === '"' || c === "'" || c === '<') throw new ContextError(`${JSON.stringify(c)} in attribute name: ${JSON.stringify(s.slice(i, i + 32))}`, j);
  }
  return s.length;
}

function contentOf(element: Element): Ctx {
  if (element === 'script') return ctx({ state: 'js', element });
  if (element === 'style') return ctx({ state: 'css', element });
  return element ? ctx({ state: 'rcdata', element }) : TEXT;
}

const END_TAGS: Record<string, RegExp> = {};
function endTag(s: string, i: number, element: Element): number {
  const re = (END_TAGS[element] ??= new RegExp(`</${element}[> \\t\\n\\f/]`, 'gi'));
  re.lastIndex = i;
  return re.exec(s)?.index ?? -1;
}

type Stepper = (c: Ctx, s: string, i: number) => Step;

/** <title> and <textarea> bodies, which hold no tags: every `<` is text. */
const rcdata: Stepper = (c, s, i) => ({ c, i: s.length, out: s.slice(i).replace(/</g, '&lt;') });

const HTML: Partial<Record<State, Stepper>> = {
  text(c, s, i) {
    const lt = s.indexOf('<', i);
    if (lt < 0) return { c, i: s.length, out: s.slice(i) };
    const before = s.slice(i, lt);
    if (s.startsWith('<!--', lt)) return { c: ctx({ state: 'htmlCmt' }), i: lt + 4, out: before };
    const end = s[lt + 1] === '/';
    const name = end ? lt + 2 : lt + 1;
    const k = eatTagName(s, name);
    if (k === name) return { c, i: lt + 1, out: before + (/^<!doctype/i.test(s.slice(lt, lt + 9)) ? '<' : '&lt;') };
    const element = end ? '' : (ELEMENTS[s.slice(name, k).toLowerCase()] ?? '');
    return { c: ctx({ state: 'tag', element }), i: k, out: s.slice(i, k) };
  },
  htmlCmt(c, s, i) {
    const end = s.indexOf('-->', i);
    return end < 0 ? { c, i: s.length, out: '' } : { c: TEXT, i: end + 3, out: '' };
  },
  tag(c, s, i) {
    const j = skipSpace(s, i);
    if (j === s.length) return { c, i: j, out: s.slice(i, j) };
    if (s[j] === '>') return { c: contentOf(c.element), i: j + 1, out: s.slice(i, j + 1) };
    const k = eatAttrName(s, j);
    if (k === j) throw new ContextError(`expected space, attribute name or end of tag, but got ${JSON.stringify(s.slice(j, j + 32))}`, j);
    const name = s.slice(j, k).toLowerCase();
    const attr = c.element === 'script' && name === 'type' ? 'scriptType' : attrKind(name);
    return { c: ctx({ state: k === s.length ? 'attrName' : 'afterName', element: c.element, attr }), i: k, out: s.slice(i, k) };
  },
  attrName(c, s, i) {
    const k = eatAttrName(s, i);
    return { c: k === s.length ? c : { ...c, state: 'afterName' }, i: k, out: s.slice(i, k) };
  },
  afterName(c, s, i) {
    const j = skipSpace(s, i);
    if (j === s.length) return { c, i: j, out: s.slice(i, j) };
    if (s[j] === '=') return { c: { ...c, state: 'beforeValue' }, i: j + 1, out: s.slice(i, j + 1) };
    return { c: ctx({ state: 'tag', element: c.element }), i: j, out: s.slice(i, j) };
  },
  beforeValue(c, s, i) {
    const j = skipSpace(s, i);
    if (j === s.length) return { c, i: j, out: s.slice(i, j) };
    const quoted = s[j] === '"' || s[j] === "'";
    return { c: { ...c, state: 'attr', delim: quoted ? (s[j] as '"' | "'") : ' ' }, i: quoted ? j + 1 : j, out: s.slice(i, quoted ? j + 1 : j) };
  },
  attr(c, s, i) {
    let end = -1;
    if (c.delim === ' ') {
      for (let j = i; j < s.length && end < 0; j++) if (SPACE.test(s[j]) || s[j] === '>') end = j;
    } else end = s.indexOf(c.delim, i);
    const value = s.slice(i, end < 0 ? s.length : end);
    let next = c;
    if (c.attr === 'url') next = { ...c, urlPart: /[#?]/.test(value) ? 'query' : c.urlPart === 'none' && /[^ \t\n\f\r]/.test(value) ? 'pre' : c.urlPart };
    if (c.attr === 'scriptType') next = { ...c, typeValue: c.typeValue + value };
    if (end < 0) return { c: next, i: s.length, out: value };
    const type = next.typeValue.split(';')[0].trim().toLowerCase();
    const element = c.attr === 'scriptType' && !JS_TYPES.has(type) ? '' : c.element;
    const quote = c.delim === ' ' ? '' : c.delim;
    return { c: ctx({ state: 'tag', element }), i: end + quote.length, out: value + quote };
  },
};

/** The context after `s`, starting in `c`, and `s` as the output carries it. */
export function scan(start: Ctx, s: string): { ctx: Ctx; out: string } {
  let c = start;
  let i = 0;
  let out = '';
  while (i < s.length) {
    const stepper = HTML[c.state];
    if (stepper) {
      const r = stepper(c, s, i);
      if (r.i === i && sameCtx(r.c, c)) throw new ContextError(`no progress in ${c.state}`, i);
      ({ c, i } = r);
      out += r.out;
      continue;
    }
    // A <script>, <style>, <title> or <textarea> body runs to its end tag, whatever it holds.
    const end = endTag(s, i, c.element);
    const body = s.slice(0, end < 0 ? s.length : end);
    while (i < body.length) {
      const r = c.state === 'rcdata' ? rcdata(c, body, i) : c.element === 'script' ? scanJs(c, body, i) : scanCss(c, body, i);
      ({ c, i } = r);
      out += r.out;
    }
    if (end >= 0) c = TEXT;
  }
  return { ctx: c, out };
}

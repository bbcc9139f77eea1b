import type { Ctx, Step } from './html-context';
import { ContextError } from './html-context';

/**
 * <script> and <style> bodies, one token at a time, as html/template reads them: JS strings,
 * template literals, regexps (told from division by the token before the `/`), and `//`, `/* *\/`
 * and `<!--` comments; CSS strings, `url(...)` and comments. Comments are dropped from the
 * output as Go drops them; a block comment leaves a space, or a newline if it held one.
 */
const JS_SPECIAL = /["'`/]|<!--|^[ \t]*-->/gm;
const NEWLINE = /[\n\r\u2028\u2029]/g;
const REGEXP_PRECEDERS = new Set(['break', 'case', 'continue', 'delete', 'do', 'else', 'finally', 'in', 'instanceof', 'return', 'throw', 'try', 'typeof', 'void']);

/** Would a `/` after `run` start a regexp? Go's nextJSCtx. */
export function nextJsCtx(run: string, preceding: Ctx['jsCtx']): Ctx['jsCtx'] {
  const s = run.replace(/[\t\n\f\r \u2028\u2029]+$/, '');
  if (!s) return preceding;
  const n = s.length;
  const c = s[n - 1];
  if (c === '+' || c === '-') {
    let start = n - 1;
    while (start > 0 && s[start - 1] === c) start--;
    return (n - start) % 2 === 1 ? 'regexp' : 'div';
  }
  if (c === '.') return n > 1 && /\d/.test(s[n - 2]) ? 'div' : 'regexp';
  if (',<>=*%&|^?!~([:;{}'.includes(c)) return 'regexp';
  let j = n;
  while (j > 0 && /[\w$]/.test(s[j - 1])) j--;
  return REGEXP_PRECEDERS.has(s.slice(j)) ? 'regexp' : 'div';
}

function nextNewline(s: string, i: number): number {
  NEWLINE.lastIndex = i;
  return NEWLINE.exec(s)?.index ?? -1;
}

/** Up to the closing `quote`, past backslash escapes; -1 when the body ends first. */
function closing(s: string, i: number, quote: string): number {
  for (let k = i; k < s.length; k++) {
    if (s[k] === quote) return k;
    if (s[k] === '\\') {
      if (k + 1 >= s.length) throw new ContextError('unfinished escape sequence in a JS or CSS string', k);
      k++;
    }
  }
  return -1;
}

function blockComment(c: Ctx, s: string, i: number, after: Ctx): Step {
  const end = s.indexOf('*/', i);
  const piece = s.slice(i, end < 0 ? s.length : end);
  const out = nextNewline(piece, 0) >= 0 ? '\n' : ' ';
  return end < 0 ? { c, i: s.length, out } : { c: after, i: end + 2, out };
}

export function scanJs(c: Ctx, s: string, i: number): Step {
  switch (c.state) {
    case 'jsDq':
    case 'jsSq':
    case 'jsTmpl': {
      const end = closing(s, i, c.state === 'jsDq' ? '"' : c.state === 'jsSq' ? "'" : '`');
      if (end < 0) return { c, i: s.length, out: s.slice(i) };
      return { c: { ...c, state: 'js', jsCtx: 'div' }, i: end + 1, out: s.slice(i, end + 1) };
    }
    case 'jsRe': {
      let cls = c.reClass;
      for (let k = i; k < s.length; k++) {
        const ch = s[k];
        if (ch === '\\') {
          if (k + 1 >= s.length) throw new ContextError('unfinished escape sequence in a JS regexp', k);
          k++;
        } else if (ch === '[') cls = true;
        else if (ch === ']') cls = false;
        else if (ch === '/' && !cls) return { c: { ...c, state: 'js', jsCtx: 'div', reClass: false }, i: k + 1, out: s.slice(i, k + 1) };
        else if (ch === '\n' || ch === '\r') throw new ContextError('unterminated JS regexp', k);
      }
      return { c: { ...c, reClass: cls }, i: s.length, out: s.slice(i) };
    }
    case 'jsLineCmt': {
      const end = nextNewline(s, i);
      return end < 0 ? { c, i: s.length, out: '' } : { c: { ...c, state: 'js' }, i: end, out: '' };
    }
    case 'jsBlockCmt':
      return blockComment(c, s, i, { ...c, state: 'js' });
    default:
      return jsCode(c, s, i);
  }
}

function jsCode(c: Ctx, s: string, i: number): Step {
  JS_SPECIAL.lastIndex = i;
  const m = JS_SPECIAL.exec(s);
  const k = m ? m.index : s.length;
  const run = s.slice(i, k);
  const jsCtx = nextJsCtx(run, c.jsCtx);
  if (!m) return { c: { ...c, jsCtx }, i: k, out: run };
  const tok = m[0];
  const next = (state: Ctx['state'], skip: number, kept: string): Step => ({ c: { ...c, state, jsCtx }, i: k + skip, out: run + kept });
  if (tok === '"') return next('jsDq', 1, tok);
  if (tok === "'") return next('jsSq', 1, tok);
  if (tok === '`') return next('jsTmpl', 1, tok);
  if (tok !== '/') {
    // `<!--` anywhere and `-->` at the start of a line are line comments in a classic script.
    const lead = tok.length - 3;
    return { c: { ...c, state: 'jsLineCmt', jsCtx }, i: k + tok.length, out: run + tok.slice(0, lead > 0 && tok.endsWith('-->') ? lead : 0) };
  }
  if (s[k + 1] === '/') return next('jsLineCmt', 2, '');
  if (s[k + 1] === '*') return next('jsBlockCmt', 2, '');
  if (jsCtx === 'regexp') return { c: { ...c, state: 'jsRe', jsCtx, reClass: false }, i: k + 1, out: run + '/' };
  if (jsCtx === 'div') return { c: { ...c, jsCtx: 'regexp' }, i: k + 1, out: run + '/' };
  throw new ContextError(`'/' could start a division or a regexp: ${JSON.stringify(s.slice(k, k + 32))}`, k);
}

const CSS_SPECIAL = /["'/(]/g;

export function scanCss(c: Ctx, s: string, i: number): Step {
  switch (c.state) {
    case 'cssDq':
    case 'cssSq': {
      const end = closing(s, i, c.state === 'cssDq' ? '"' : "'");
      return end < 0 ? { c, i: s.length, out: s.slice(i) } : { c: { ...c, state: 'css' }, i: end + 1, out: s.slice(i, end + 1) };
    }
    case 'cssUrl': {
      const end = s.indexOf(')', i);
      return end < 0 ? { c, i: s.length, out: s.slice(i) } : { c: { ...c, state: 'css' }, i: end + 1, out: s.slice(i, end + 1) };
    }
    case 'cssLineCmt': {
      const end = nextNewline(s, i);
      return end < 0 ? { c, i: s.length, out: '' } : { c: { ...c, state: 'css' }, i: end, out: '' };
    }
    case 'cssBlockCmt':
      return blockComment(c, s, i, { ...c, state: 'css' });
  }
  CSS_SPECIAL.lastIndex = i;
  const m = CSS_SPECIAL.exec(s);
  if (!m) return { c, i: s.length, out: s.slice(i) };
  const k = m.index;
  const run = s.slice(i, k);
  const ch = s[k];
  if (ch === '"' || ch === "'") return { c: { ...c, state: ch === '"' ? 'cssDq' : 'cssSq' }, i: k + 1, out: run + ch };
  if (ch === '/') {
    if (s[k + 1] === '*') return { c: { ...c, state: 'cssBlockCmt' }, i: k + 2, out: run };
    if (s[k + 1] === '/') return { c: { ...c, state: 'cssLineCmt' }, i: k + 2, out: run };
    return { c, i: k + 1, out: run + ch };
  }
  // `url(` not preceded by a name character opens a URL; a quoted one is read as a string.
  const unquoted = !/^[ \t\n\f\r]*["']/.test(s.slice(k + 1));
  const isUrl = /(^|[^\w-])url[ \t\n\f\r]*$/i.test(run) && unquoted;
  return { c: isUrl ? { ...c, state: 'cssUrl' } : c, i: k + 1, out: run + ch };
}

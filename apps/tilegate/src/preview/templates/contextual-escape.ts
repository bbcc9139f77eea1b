import { TemplateSource } from './go-template-lexer';
import { Escaper, Node } from './go-template-parser';
import { ContextError, Ctx, joinCtx, sameCtx, scan, TEXT } from './html-context';
import { escapeHtml, escapeHtmlNospace, escapeJsString, escapeUrl, filterUrl, jsValue, normalizeUrl } from './html-escape';
import { printed } from './go-values';

/**
 * html/template's contextual autoescaping, done once at parse time: the tree is walked with the
 * HTML context, each text node is rewritten as Go rewrites it, and each printing action gets the
 * escaper for where it stands.
 *
 * Handled:  HTML text, <title>/<textarea>          → HTML-escaped
 *           attribute values, quoted or unquoted    → HTML-escaped (unquoted: white space and = too)
 *           URL attributes (href, src, action, …)   → at the start, schemes other than http, https
 *                                                     and mailto become #ZgotmplZ; then
 *                                                     percent-normalized (path) or -escaped (query)
 *           <script>: a JS string ('…' or "…")      → JS-string-escaped
 *           <script>: a JS expression               → the value as JSON
 *           comments (HTML, and JS/CSS in bodies)   → nothing, as in Go
 * Refused:  inside a tag where an attribute name goes, event-handler (on*), style and srcset
 *           attributes, a <script>'s type attribute, <style> bodies, JS template literals and
 *           regexps, and a URL whose part (path or query) depends on a branch.
 * A template whose branches end in different contexts, or that ends outside HTML text, is refused.
 */
export const HANDLED_CONTEXTS = 'HTML text, attribute values, URL attributes and <script> strings and expressions';

type Choice = { escape: Escaper; after: Ctx } | { refuse: string };

export function escapeTemplate(src: TemplateSource, nodes: Node[]): void {
  const end = escapeList(src, nodes, TEXT);
  if (end.state !== 'text') throw src.error(src.text.length, `ends in a non-text context: ${describe(end)}`);
}

function escapeList(src: TemplateSource, nodes: Node[], start: Ctx): Ctx {
  let c = start;
  for (const n of nodes) c = escapeNode(src, n, c);
  return c;
}

function escapeNode(src: TemplateSource, n: Node, c: Ctx): Ctx {
  switch (n.kind) {
    case 'text':
      try {
        const r = scan(c, n.text);
        n.out = r.out;
        return r.ctx;
      } catch (e) {
        if (e instanceof ContextError) throw src.error(n.pos + e.offset, e.message);
        throw e;
      }
    case 'action': {
      if (n.pipe.decl.length) return c;
      const choice = escaperFor(c);
      if ('refuse' in choice) throw src.error(n.pos, `${n.source} is ${choice.refuse}: tilegate escapes values in ${HANDLED_CONTEXTS} only`);
      n.escape = choice.escape;
      return choice.after;
    }
    case 'if':
    case 'with': {
      const a = escapeList(src, n.list, c);
      const b = n.elseList ? escapeList(src, n.elseList, c) : c;
      const joined = joinCtx(a, b);
      if (!joined) throw src.error(n.pos, `{{${n.kind}}} branches end in different contexts: ${describe(a)} and ${describe(b)}`);
      return joined;
    }
    case 'range': {
      // The body is entered from before the range and from its own end: both must agree.
      let loop = c;
      let end = escapeList(src, n.list, loop);
      if (!sameCtx(end, loop)) {
        const joined = joinCtx(loop, end);
        if (joined) {
          loop = joined;
          end = escapeList(src, n.list, loop);
        }
        const rejoined = joined && joinCtx(loop, end);
        if (!rejoined || !sameCtx(rejoined, loop)) {
          throw src.error(n.pos, `{{range}} body ends in a different context from where it starts: ${describe(end)}, not ${describe(c)}`);
        }
      }
      const other = n.elseList ? escapeList(src, n.elseList, c) : c;
      const joined = joinCtx(loop, other);
      if (!joined) throw src.error(n.pos, `{{range}} and its {{else}} end in different contexts: ${describe(loop)} and ${describe(other)}`);
      return joined;
    }
  }
}

function escaperFor(at: Ctx): Choice {
  // Go's nudge: `<a href={{.}}>` is the start of an unquoted attribute value.
  const c: Ctx = at.state === 'beforeValue' ? { ...at, state: 'attr', delim: ' ', urlPart: 'none' } : at;
  switch (c.state) {
    case 'text':
    case 'rcdata':
      return { escape: (v) => escapeHtml(printed(v)), after: c };
    case 'attr':
      return attrEscaper(c);
    case 'js':
      return { escape: jsValue, after: { ...c, jsCtx: 'div' } };
    case 'jsDq':
    case 'jsSq':
      return { escape: (v) => escapeJsString(printed(v)), after: c };
    case 'htmlCmt':
    case 'jsLineCmt':
    case 'jsBlockCmt':
    case 'cssLineCmt':
    case 'cssBlockCmt':
      return { escape: () => '', after: c };
    case 'tag':
    case 'attrName':
    case 'afterName':
      return { refuse: 'inside a tag, where an attribute name or the end of the tag goes' };
    case 'jsTmpl':
      return { refuse: 'inside a JS template literal (`…`)' };
    case 'jsRe':
      return { refuse: 'inside a JS regular expression' };
    default:
      return { refuse: 'inside a <style> element' };
  }
}

function attrEscaper(c: Ctx): Choice {
  const attr = c.delim === ' ' ? escapeHtmlNospace : escapeHtml;
  switch (c.attr) {
    case 'plain':
      return { escape: (v) => attr(printed(v)), after: c };
    case 'url':
      if (c.urlPart === 'none') return { escape: (v) => attr(normalizeUrl(filterUrl(printed(v)))), after: c };
      if (c.urlPart === 'pre') return { escape: (v) => attr(normalizeUrl(printed(v))), after: c };
      if (c.urlPart === 'query') return { escape: (v) => attr(escapeUrl(printed(v))), after: c };
      return { refuse: 'in a URL where branches leave it unclear whether this is its path or its query' };
    case 'js':
      return { refuse: 'in an event-handler attribute (on…)' };
    case 'css':
      return { refuse: 'in a style attribute' };
    case 'srcset':
      return { refuse: 'in a srcset attribute' };
    case 'scriptType':
      return { refuse: "in a <script>'s type attribute" };
  }
}

function describe(c: Ctx): string {
  const where = c.element ? ` in <${c.element}>` : '';
  const attr = c.state === 'attr' || c.state === 'beforeValue' ? ` (${c.attr} attribute)` : '';
  return `${c.state}${attr}${where}`;
}

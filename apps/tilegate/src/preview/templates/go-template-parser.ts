import { FuncMap } from './go-template-funcs';
import { Item, TemplateSource, Token } from './go-template-lexer';
import { Pipeline, PipelineParser } from './go-template-pipeline';

export type { Command, Operand, Pipeline } from './go-template-pipeline';

/** Values are printed through `escape`, chosen for the action's HTML context by the escaper. */
export type Escaper = (value: unknown) => string;

/**
 * The parse tree of a template: text, actions (`{{ pipeline }}`, or a `$x := pipeline`
 * declaration that prints nothing), and if / with / range with their else lists. `else if` and
 * `else with` nest a node in the else list. Functions and variables are resolved here, so an
 * unknown name is a parse error as in Go; so are `define`, `template`, `block`, `break` and
 * `continue`, which tilegate does not implement.
 */
export interface TextNode { kind: 'text'; text: string; out: string; pos: number }
export interface ActionNode { kind: 'action'; pipe: Pipeline; pos: number; source: string; escape: Escaper }
export interface BranchNode { kind: 'if' | 'with'; pipe: Pipeline; list: Node[]; elseList: Node[] | null; pos: number }
export interface RangeNode { kind: 'range'; pipe: Pipeline; key: string | null; value: string | null; list: Node[]; elseList: Node[] | null; pos: number }
export type Node = TextNode | ActionNode | BranchNode | RangeNode;

interface Frame {
  node: BranchNode | RangeNode;
  inElse: boolean;
  /** Closed by the same {{end}} as the frame below it (an `else if`). */
  chained: boolean;
  varMark: number;
}

const UNIMPLEMENTED = new Set(['define', 'template', 'block', 'break', 'continue']);
const unprinted: Escaper = () => '';

export function parse(src: TemplateSource, items: Item[], funcs: FuncMap): Node[] {
  const root: Node[] = [];
  const frames: Frame[] = [];
  const vars = ['$'];
  const target = (): Node[] => {
    const f = frames[frames.length - 1];
    if (!f) return root;
    return f.inElse ? (f.node.elseList ??= []) : f.node.list;
  };
  const open = (kind: 'if' | 'with' | 'range', tokens: Token[], pos: number, chained: boolean) => {
    const varMark = vars.length;
    const p = new PipelineParser(src, tokens, 1, funcs, vars);
    const { pipe, key, value } = p.pipeline(kind === 'range', kind);
    p.expectEnd();
    const node: BranchNode | RangeNode = kind === 'range' ? { kind, pipe, key, value, list: [], elseList: null, pos } : { kind, pipe, list: [], elseList: null, pos };
    target().push(node);
    frames.push({ node, inElse: false, chained, varMark });
  };
  const close = () => {
    const f = frames.pop()!;
    vars.length = f.varMark;
    return f;
  };

  for (const item of items) {
    if (item.kind === 'text') {
      target().push({ kind: 'text', text: item.text, out: item.text, pos: item.pos });
      continue;
    }
    const [first] = item.tokens;
    const word = first?.t === 'ident' ? first.name : '';
    if (word === 'if' || word === 'with' || word === 'range') open(word, item.tokens, item.pos, false);
    else if (word === 'else') {
      const f = frames[frames.length - 1];
      if (!f || f.inElse) throw src.error(item.pos, 'unexpected {{else}}');
      f.inElse = true;
      const next = item.tokens[1];
      if (!next) continue;
      if (next.t !== 'ident' || (next.name !== 'if' && next.name !== 'with') || next.name !== f.node.kind) throw src.error(item.pos, `unexpected ${item.source} in {{${f.node.kind}}}`);
      open(next.name, item.tokens.slice(1), item.pos, true);
    } else if (word === 'end') {
      if (item.tokens.length > 1) throw src.error(item.pos, 'unexpected token after {{end}}');
      if (!frames.length) throw src.error(item.pos, 'unexpected {{end}}');
      while (close().chained);
    } else if (UNIMPLEMENTED.has(word)) {
      throw src.error(item.pos, `{{${word}}} is not supported by tilegate's template engine`);
    } else {
      const p = new PipelineParser(src, item.tokens, 0, funcs, vars);
      const { pipe } = p.pipeline(false, 'command');
      p.expectEnd();
      target().push({ kind: 'action', pipe, pos: item.pos, source: item.source, escape: unprinted });
    }
  }
  if (frames.length) throw src.error(frames[frames.length - 1].node.pos, `unexpected EOF: {{${frames[frames.length - 1].node.kind}}} has no {{end}}`);
  return root;
}

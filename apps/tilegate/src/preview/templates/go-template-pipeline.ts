import { FuncMap, GoFunc, UNSUPPORTED } from './go-template-funcs';
import { TemplateSource, Token } from './go-template-lexer';

/**
 * One action's tokens as a pipeline: an optional `$x :=` / `$x =` (or `$k, $v :=` in a range),
 * then commands joined by `|`. A command is a function with its arguments, or one operand: a
 * literal, `.A.B`, `$x.A`, or a parenthesized pipeline with an optional field chain after it.
 */
export type Operand =
  | { k: 'lit'; value: unknown; nil?: true }
  | { k: 'fn'; name: string; fn: GoFunc }
  | { k: 'dot'; names: string[] }
  | { k: 'var'; name: string; names: string[] }
  | { k: 'pipe'; pipe: Pipeline; names: string[] };

export interface Command {
  args: Operand[];
}

export interface Pipeline {
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

export class PipelineParser {
  constructor(
    private readonly src: TemplateSource,
    private readonly toks: Token[],
    private i: number,
    private readonly funcs: FuncMap,
    private readonly vars: string[],
  ) {}

  private get pos(): number {
    return (this.toks[this.i] ?? this.toks[this.toks.length - 1])?.pos ?? 0;
  }

  private fail(message: string): never {
    throw this.src.error(this.pos, message);
  }

  expectEnd(): void {
    if (this.i < this.toks.length) this.fail(`unexpected ${describe(this.toks[this.i])} in command`);
  }

  pipeline(range: boolean, context: string): { pipe: Pipeline; key: string | null; value: string | null } {
    const decl: string[] = [];
    let assign = false;
    const t0 = this.toks[this.i];
    const t1 = this.toks[this.i + 1];
    const t2 = this.toks[this.i + 2];
    const t3 = this.toks[this.i + 3];
    const plainVar = (t: Token | undefined): t is Token & { t: 'var' } => t?.t === 'var' && t.names.length === 0;
    if (plainVar(t0) && (t1?.t === 'declare' || t1?.t === 'assign')) {
      decl.push(t0.name);
      assign = t1.t === 'assign';
      this.i += 2;
    } else if (range && plainVar(t0) && t1?.t === 'comma' && plainVar(t2) && t3?.t === 'declare') {
      decl.push(t0.name, t2.name);
      this.i += 4;
    }
    if (assign && (range || !this.vars.includes(decl[0]))) this.fail(range ? 'range with = is not supported' : `undefined variable "${decl[0]}"`);
    if (!assign) this.vars.push(...decl);
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.command(cmds.length > 0));
      if (this.toks[this.i]?.t !== 'pipe') break;
      this.i++;
    }
    if (!cmds[0].args.length) this.fail(`missing value for ${context}`);
    if (range) return { pipe: { decl: [], assign: false, cmds }, key: decl.length === 2 ? decl[0] : null, value: decl.length ? decl[decl.length - 1] : null };
    return { pipe: { decl, assign, cmds }, key: null, value: null };
  }

  private command(piped: boolean): Command {
    const args: Operand[] = [];
    for (let t = this.toks[this.i]; t && t.t !== 'pipe' && t.t !== 'rparen'; t = this.toks[this.i]) args.push(this.operand());
    if (!args.length) {
      if (piped) this.fail('missing command after |');
      return { args };
    }
    const [head] = args;
    if (head.k === 'lit' && head.nil) this.fail('nil is not a command');
    if (head.k !== 'fn' && (args.length > 1 || piped)) this.fail(piped ? 'cannot pipe into a non-function' : "can't give argument to non-function");
    for (const arg of args.slice(1)) if (arg.k === 'fn' && arg.fn.min > 0) this.fail(`wrong number of args for ${arg.name}: want ${arity(arg.fn)} got 0`);
    if (head.k === 'fn') {
      const count = args.length - 1 + (piped ? 1 : 0);
      if (count < head.fn.min || count > head.fn.max) this.fail(`wrong number of args for ${head.name}: want ${arity(head.fn)} got ${count}`);
    }
    return { args };
  }

  private operand(): Operand {
    const t = this.toks[this.i++];
    switch (t.t) {
      case 'field':
        return { k: 'dot', names: t.names };
      case 'var':
        if (!this.vars.includes(t.name)) this.fail(`undefined variable "${t.name}"`);
        return { k: 'var', name: t.name, names: t.names };
      case 'string':
      case 'number':
        return this.noChain({ k: 'lit', value: t.value });
      case 'ident':
        return this.noChain(this.identifier(t.name));
      case 'lparen': {
        const { pipe } = this.pipeline(false, 'parenthesized pipeline');
        if (pipe.decl.length) this.fail('a parenthesized pipeline cannot declare a variable');
        const close = this.toks[this.i++];
        if (close?.t !== 'rparen') this.fail('unclosed left paren');
        const next = this.toks[this.i];
        if (next?.t === 'field' && next.pos === close.pos + 1 && next.names.length) {
          this.i++;
          return { k: 'pipe', pipe, names: next.names };
        }
        return { k: 'pipe', pipe, names: [] };
      }
      default:
        this.i--;
        return this.fail(`unexpected ${describe(t)} in operand`);
    }
  }

  private identifier(name: string): Operand {
    if (name === 'true' || name === 'false') return { k: 'lit', value: name === 'true' };
    if (name === 'nil') return { k: 'lit', value: null, nil: true };
    const fn = this.funcs.get(name);
    if (fn) return { k: 'fn', name, fn };
    const why = UNSUPPORTED.get(name);
    this.i--;
    if (why) this.fail(`function "${name}" is not supported by tilegate: ${why}`);
    return this.fail(`function "${name}" not defined (tilegate has: ${[...this.funcs.keys()].join(', ')})`);
  }

  /** `len.Foo` is not a chain Go accepts; `(len .).Foo` is. */
  private noChain(op: Operand): Operand {
    const prev = this.toks[this.i - 1];
    const next = this.toks[this.i];
    if (prev.t === 'ident' && next?.t === 'field' && next.names.length && next.pos === prev.pos + prev.name.length) this.fail('unexpected . after term');
    return op;
  }
}

function arity(f: GoFunc): string {
  if (f.min === f.max) return String(f.min);
  return f.max === Infinity ? `at least ${f.min}` : `${f.min} to ${f.max}`;
}

function describe(t: Token): string {
  switch (t.t) {
    case 'ident':
      return `"${t.name}"`;
    case 'field':
      return t.names.length ? `.${t.names.join('.')}` : '.';
    case 'var':
      return [t.name, ...t.names].join('.');
    case 'string':
      return JSON.stringify(t.value);
    case 'number':
      return String(t.value);
    default:
      return { pipe: '|', lparen: '(', rparen: ')', declare: ':=', assign: '=', comma: ',' }[t.t];
  }
}

import { TemplateSource } from './go-template-lexer';
import { Command, Node, Operand, Pipeline } from './go-template-parser';
import { fieldOf, goTypeName, sortedKeys, truth } from './go-values';

/**
 * Runs a parsed, escaped tree against data: text as the escaper left it, actions through their
 * escaper, `if`/`with` on Go truth, `range` over slices in order, maps in sorted key order, and
 * non-negative ints (0..n-1); `.` is rebound by `with` and `range`, `$` is always the data.
 */
export function execute(src: TemplateSource, nodes: Node[], data: unknown): string {
  const run = new Run(data);
  try {
    run.walk(data, nodes);
  } catch (e) {
    if (e instanceof ExecError) throw src.error(e.pos, `executing: ${e.message}`);
    throw e;
  }
  return run.out.join('');
}

class ExecError extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

interface Variable {
  name: string;
  value: unknown;
}

const NONE = Symbol('no piped value');

class Run {
  /** Joined once at the end: a long page is hundreds of thousands of pieces. */
  readonly out: string[] = [];
  private readonly vars: Variable[];

  constructor(root: unknown) {
    this.vars = [{ name: '$', value: root }];
  }

  walk(dot: unknown, nodes: Node[]): void {
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          this.out.push(n.out);
          break;
        case 'action': {
          const value = this.evaluate(dot, n.pipe, n.pos);
          if (!n.pipe.decl.length) this.out.push(n.escape(value));
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const value = this.evaluate(dot, n.pipe, n.pos);
          if (truth(value)) this.walk(n.kind === 'with' ? value : dot, n.list);
          else if (n.elseList) this.walk(dot, n.elseList);
          this.vars.length = mark;
          break;
        }
        case 'range': {
          const mark = this.vars.length;
          const value = this.evaluate(dot, n.pipe, n.pos);
          const each = (key: unknown, elem: unknown) => {
            if (n.value) this.vars.push({ name: n.value, value: elem });
            if (n.key) this.vars.push({ name: n.key, value: key });
            this.walk(elem, n.list);
            this.vars.length = mark;
          };
          let count = 0;
          if (value instanceof Map) {
            for (const key of sortedKeys(value)) each(key, value.get(key));
            count = value.size;
          } else if (Array.isArray(value)) {
            value.forEach((elem, i) => each(i, elem));
            count = value.length;
          } else if (typeof value === 'number' && Number.isInteger(value)) {
            for (let i = 0; i < value; i++) each(i, i);
            count = Math.max(0, value);
          } else if (value !== null && value !== undefined) {
            throw new ExecError(n.pos, `range can't iterate over ${goTypeName(value)}`);
          }
          if (!count && n.elseList) this.walk(dot, n.elseList);
          this.vars.length = mark;
          break;
        }
      }
    }
  }

  private evaluate(dot: unknown, pipe: Pipeline, pos: number): unknown {
    try {
      return this.pipeline(dot, pipe);
    } catch (e) {
      if (e instanceof ExecError) throw e;
      throw new ExecError(pos, e instanceof Error ? e.message : String(e));
    }
  }

  private pipeline(dot: unknown, pipe: Pipeline): unknown {
    let value: unknown = NONE;
    for (let i = 0; i < pipe.cmds.length; i++) value = this.command(dot, pipe.cmds[i], value);
    if (pipe.decl.length) {
      if (pipe.assign) this.lookup(pipe.decl[0]).value = value;
      else this.vars.push({ name: pipe.decl[0], value });
    }
    return value;
  }

  private command(dot: unknown, cmd: Command, piped: unknown): unknown {
    const ops = cmd.args;
    const head = ops[0];
    if (head.k !== 'fn') return this.operand(dot, head);
    const count = ops.length - 1 + (piped === NONE ? 0 : 1);
    const lazy = head.fn.lazy;
    if (lazy) {
      // The piped value, if any, is the last argument.
      let v: unknown;
      for (let i = 1; i <= count; i++) {
        v = i < ops.length ? this.operand(dot, ops[i]) : piped;
        if (truth(v) !== (lazy === 'and')) return v;
      }
      return v;
    }
    const args = new Array<unknown>(count);
    for (let i = 1; i < ops.length; i++) args[i - 1] = this.operand(dot, ops[i]);
    if (piped !== NONE) args[count - 1] = piped;
    try {
      return head.fn.call(args);
    } catch (e) {
      throw new Error(`error calling ${head.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private operand(dot: unknown, op: Operand): unknown {
    switch (op.k) {
      case 'lit':
        return op.value;
      case 'fn':
        return op.fn.call([]);
      case 'dot':
        return chain(dot, op.names);
      case 'var':
        return chain(this.lookup(op.name).value, op.names);
      case 'pipe':
        return chain(this.pipeline(dot, op.pipe), op.names);
    }
  }

  private lookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    throw new Error(`undefined variable: ${name}`);
  }
}

function chain(value: unknown, names: string[]): unknown {
  let v = value;
  for (let i = 0; i < names.length; i++) v = fieldOf(v, names[i]);
  return v;
}

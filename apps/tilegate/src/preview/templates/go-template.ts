import { escapeTemplate } from './contextual-escape';
import { execute } from './go-template-exec';
import { BUILTINS, FuncMap } from './go-template-funcs';
import { lex, TemplateSource } from './go-template-lexer';
import { Node, parse } from './go-template-parser';

export { BUILTINS, SPRIG, withSprig } from './go-template-funcs';
export type { FuncMap, GoFunc } from './go-template-funcs';
export { goStruct } from './go-values';
export type { GoStructType } from './go-values';

/**
 * A Go html/template, for the subset pg_tileserv-style pages use: text; `{{ pipeline }}` with
 * fields (`.A.B`), variables (`$`, `$x.A`), `.`, string, number, bool and nil literals,
 * parentheses and `x | fn "a" "b"`; `$x := …` and `$x = …`; if / else if / else, with / else,
 * range (`range $k, $v := …`, `range $v := …`, `range …`) / else; `{{/* comments *\/}}`; and
 * `{{-` / `-}}` trimming. Functions are Go's built-ins (and, or, not, eq, ne, lt, le, gt, ge,
 * len, index, print, printf, println) plus whatever `funcs` adds (see SPRIG).
 *
 * Parsed and escaped once; `execute` runs per request. Every error names the file and line:
 * parse-time errors for syntax, unknown functions or variables, and actions in HTML contexts
 * that are not escaped (see contextual-escape.ts); execution errors for bad data (a missing
 * struct field, a comparison of a string with a number…).
 */
export class GoTemplate {
  private constructor(
    private readonly src: TemplateSource,
    private readonly nodes: Node[],
  ) {}

  static parse(text: string, name: string, funcs: FuncMap = BUILTINS): GoTemplate {
    const src = new TemplateSource(text, name);
    const nodes = parse(src, lex(src), funcs);
    escapeTemplate(src, nodes);
    return new GoTemplate(src, nodes);
  }

  get name(): string {
    return this.src.name;
  }

  execute(data: unknown): string {
    return execute(this.src, this.nodes, data);
  }
}

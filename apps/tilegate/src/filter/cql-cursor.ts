import type { BooleanNode, ScalarNode } from './cql-ast';
import { Token, TokenKind } from './cql-lexer';
import { InvalidFilterError, quoted } from './filter-error';
import { FilterLimits } from './filter-limits';

export type Node = BooleanNode | ScalarNode;

/** The grammar's entry points, so the parser's files can call each other without import cycles. */
export interface Grammar {
  /** What may stand inside parentheses: a condition, or a value. */
  group(c: Cursor): Node;
  /** An arithmetic expression (or a single value). */
  scalar(c: Cursor): ScalarNode;
}

/**
 * The parser's position in the token list, with the limits it enforces as it goes. Reading is one
 * token of lookahead (two for NOT LIKE/BETWEEN/IN and for a word before '('): no backtracking.
 */
export class Cursor {
  private index = 0;
  private depth = 0;
  private nodes = 0;
  private coordinates = 0;

  constructor(
    private readonly tokens: Token[],
    readonly limits: FilterLimits,
    readonly grammar: Grammar,
  ) {}

  peek(ahead = 0): Token {
    const at = this.index + ahead;
    return at < this.tokens.length ? this.tokens[at] : this.tokens[this.tokens.length - 1];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  is(kind: TokenKind, ahead = 0): boolean {
    return this.peek(ahead).kind === kind;
  }

  isOp(op: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'op' && token.value === op;
  }

  /** An unquoted word, compared case-insensitively: keywords are never double-quoted. */
  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.upper === word;
  }

  take(kind: TokenKind, hint?: string): Token {
    if (!this.is(kind)) throw this.unexpected(this.peek(), hint ?? `expected '${kind}'`);
    return this.next();
  }

  takeWord(word: string, hint?: string): Token {
    if (!this.isWord(word)) throw this.unexpected(this.peek(), hint ?? `expected ${word}`);
    return this.next();
  }

  unexpected(token: Token, hint?: string): InvalidFilterError {
    return InvalidFilterError.at(token.pos, `unexpected ${describeToken(token)}`, hint);
  }

  /** Counts a node of the AST against the limit. */
  node<T extends { pos: number }>(node: T): T {
    if (++this.nodes > this.limits.maxNodes) throw InvalidFilterError.at(node.pos, `more than ${this.limits.maxNodes} expressions`);
    return node;
  }

  coordinate(pos: number): void {
    if (++this.coordinates > this.limits.maxCoordinates) throw InvalidFilterError.at(pos, `more than ${this.limits.maxCoordinates} coordinates`);
  }

  /** Runs `inner` one nesting level deeper. */
  nested<T>(pos: number, inner: () => T): T {
    if (++this.depth > this.limits.maxDepth) throw InvalidFilterError.at(pos, `nesting deeper than ${this.limits.maxDepth} levels`);
    const result = inner();
    this.depth--;
    return result;
  }
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of filter';
    case 'string':
      return `string ${quoted(token.value)}`;
    case 'quoted':
      return `"${quoted(token.value).slice(1, -1)}"`;
    default:
      return quoted(token.value);
  }
}

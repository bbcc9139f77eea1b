import type { NumberLiteral } from './cql-ast';
import type { Node } from './cql-cursor';
import type { Token } from './cql-lexer';
import { InvalidFilterError, quoted } from './filter-error';

/** Words that are never property names unless double-quoted. */
export const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'ILIKE', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'DIV']);

/** Geometry literal tags: a geometry literal when followed by '(' (or Z). */
export const GEOMETRY_WORDS = new Set(['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'BBOX', 'ENVELOPE']);

const CONDITION_KINDS = new Set(['and', 'or', 'not', 'compare', 'like', 'between', 'in', 'isNull', 'spatial', 'dwithin', 'temporal']);

/** A node that is true or false; a boolean literal counts only when `literalCounts`. */
export function isCondition(node: Node, literalCounts: boolean): boolean {
  return CONDITION_KINDS.has(node.kind) || (literalCounts && node.kind === 'boolean');
}

/** A word before '(' that is not one of ours: say why, in the conformance class's terms. */
export function unsupportedFunction(token: Token): InvalidFilterError {
  const word = token.upper;
  if (word === 'INTERVAL') return InvalidFilterError.at(token.pos, 'INTERVAL can only be an argument of a T_ function');
  if (GEOMETRY_WORDS.has(word)) return InvalidFilterError.at(token.pos, `a geometry literal (${word}) can only be an argument of a spatial function`);
  if (word === 'ACCENTI') return InvalidFilterError.at(token.pos, 'ACCENTI is not supported (accent-insensitive comparison is not implemented)');
  if (word.startsWith('A_')) return InvalidFilterError.at(token.pos, `array functions such as ${quoted(token.value)} are not supported`);
  return InvalidFilterError.at(token.pos, `function ${quoted(token.value)} is not supported`, 'only the CQL2 standard functions are available; custom functions are not');
}

/** A number token as a literal, refused when no double can hold it (1e999, 8 KiB of digits). */
export function numberLiteral(token: Token, negative = false): NumberLiteral {
  if (!Number.isFinite(Number(token.value))) throw InvalidFilterError.at(token.pos, `number ${quoted(token.value)} is out of range`);
  return { kind: 'number', text: negative ? `-${token.value}` : token.value, pos: token.pos };
}

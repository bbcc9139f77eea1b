import { escapeLiteral } from '@app/database';
import type { LiteralNode, TimestampLiteral } from './cql-ast';
import { family, integerTypeFor, isInteger, SqlType } from './column-types';
import { InvalidFilterError, quoted } from './filter-error';

/** An interval's open end ('..'): -infinity as a start, infinity as an end. */
export interface OpenEnd {
  kind: 'open';
  start: boolean;
  pos: number;
}

/** `OPERATOR(pg_catalog.=)`: never an operator some schema on the search_path provides. */
export function operatorSql(op: string): string {
  return `OPERATOR(pg_catalog.${op})`;
}

/** `<sql>::pg_catalog.<type>` */
export function pgCast(sql: string, type: SqlType): string {
  return `${sql}::pg_catalog.${type}`;
}

/** An escaped string literal with an explicit cast: the only way request values enter the SQL. */
export function typedLiteral(value: string, type: SqlType): string {
  return pgCast(escapeLiteral(value), type);
}

export function describeLiteral(node: LiteralNode | OpenEnd): string {
  switch (node.kind) {
    case 'number':
      return `the number ${node.text}`;
    case 'string':
      return `the string ${quoted(node.value)}`;
    case 'boolean':
      return `the boolean ${node.value ? 'TRUE' : 'FALSE'}`;
    case 'date':
      return `the date ${node.value}`;
    case 'timestamp':
      return `the timestamp ${node.value}${node.offset ?? ''}`;
    case 'now':
      return 'NOW()';
    case 'open':
      return "an open interval end ('..')";
  }
}

const NATURAL: Record<LiteralNode['kind'] | 'open', SqlType> = {
  number: 'numeric',
  string: 'text',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamptz',
  now: 'timestamptz',
  open: 'timestamptz',
};

/** A literal compared with another literal, or used in arithmetic: its own type. */
export function naturalLiteral(node: LiteralNode | OpenEnd, pos: number) {
  const type = node.kind === 'number' ? integerTypeFor(node.text) : NATURAL[node.kind];
  return { sql: literalAs(node, type, pos)!, type, what: describeLiteral(node) };
}

/**
 * The literal as a value of a type that fits `type` (the other side's), or null when it cannot
 * be compared with it at all. "Fits" keeps the other side's index usable: the same type, or a
 * type of the same btree operator family (int8 for a big number against int4, numeric for a
 * fraction against an integer column).
 */
export function literalAs(node: LiteralNode | OpenEnd, type: SqlType, pos: number): string | null {
  const kind = family(type);
  switch (node.kind) {
    case 'number':
      return kind === 'number' ? typedLiteral(node.text, numberTypeFor(node.text, type)) : null;
    case 'string':
      if (kind === 'string') return typedLiteral(node.value, type === 'bpchar' ? 'bpchar' : 'text');
      if (kind === 'uuid') return typedLiteral(checkUuid(node.value, pos), 'uuid');
      return null;
    case 'boolean':
      return kind === 'bool' ? typedLiteral(node.value ? 'true' : 'false', 'bool') : null;
    case 'date':
      if (kind !== 'temporal') return null;
      // A date against a timestamptz is midnight UTC, whatever the session's TimeZone.
      return type === 'timestamptz' ? typedLiteral(`${node.value}T00:00:00Z`, 'timestamptz') : typedLiteral(node.value, 'date');
    case 'timestamp':
      if (kind !== 'temporal') return null;
      return type === 'timestamptz' ? typedLiteral(`${node.value}${node.offset ?? 'Z'}`, 'timestamptz') : utcTimestamp(node);
    case 'now':
      if (kind !== 'temporal') return null;
      return type === 'timestamptz' ? 'pg_catalog.now()' : `pg_catalog.timezone(${typedLiteral('UTC', 'text')}, pg_catalog.now())`;
    case 'open':
      if (kind !== 'temporal') return null;
      return typedLiteral(node.start ? '-infinity' : 'infinity', type);
  }
}

/** The type a number literal takes beside a number of `type`. */
export function numberTypeFor(text: string, type: SqlType): SqlType {
  if (isInteger(type)) return integerTypeFor(text, type);
  return type === 'numeric' ? 'numeric' : 'float8';
}

/**
 * A timestamp against a date or timestamp (without time zone) column: the UTC wall-clock time,
 * so the comparison does not depend on the session's TimeZone.
 */
function utcTimestamp(node: TimestampLiteral): string {
  if (node.offset === null || node.offset === 'Z') return typedLiteral(node.value, 'timestamp');
  return `pg_catalog.timezone(${typedLiteral('UTC', 'text')}, ${typedLiteral(`${node.value}${node.offset}`, 'timestamptz')})`;
}

const HEX = '0123456789abcdefABCDEF';

/** 32 hex digits, optionally hyphenated 8-4-4-4-12 (the form PostgreSQL prints). */
function checkUuid(text: string, pos: number): string {
  const hyphenated = text.length === 36 && [8, 13, 18, 23].every((i) => text[i] === '-');
  const digits = hyphenated ? text.replace(/-/g, '') : text;
  if (digits.length !== 32 || [...digits].some((d) => !HEX.includes(d))) {
    throw InvalidFilterError.near(pos, `${quoted(text)} is not a uuid`);
  }
  return text;
}

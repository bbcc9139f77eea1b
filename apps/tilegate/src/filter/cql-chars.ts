/**
 * Character classes of the CQL2 BNF (OGC 21-065r2, annex B), by code point. Ranges, not regular
 * expressions: each test is a handful of comparisons.
 */

type Range = readonly [number, number];

/** identifierStart: colon, underscore, letters, and the BNF's Unicode blocks. */
const IDENTIFIER_START: readonly Range[] = [
  [0x3a, 0x3a],
  [0x5f, 0x5f],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2ff],
  [0x370, 0x37d],
  [0x37f, 0x1ffe],
  [0x200c, 0x200d],
  [0x2070, 0x218f],
  [0x2c00, 0x2fef],
  [0x3001, 0xd7ff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xfffd],
  [0x10000, 0xeffff],
];

/** identifierPart adds: '.', digits, combining marks, ‿ ⁀; and '$', which pg_tileserv allows. */
const IDENTIFIER_PART_EXTRA: readonly Range[] = [
  [0x2e, 0x2e],
  [0x30, 0x39],
  [0x300, 0x36f],
  [0x203f, 0x2040],
  [0x24, 0x24],
];

/** The BNF's whitespace. */
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

function inRanges(cp: number, ranges: readonly Range[]): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** ASCII answers by table: almost every character of a real filter. */
const ASCII_START = Array.from({ length: 128 }, (_, cp) => inRanges(cp, IDENTIFIER_START));
const ASCII_PART = Array.from({ length: 128 }, (_, cp) => inRanges(cp, IDENTIFIER_START) || inRanges(cp, IDENTIFIER_PART_EXTRA));

export function isIdentifierStart(cp: number): boolean {
  return cp < 128 ? ASCII_START[cp] : inRanges(cp, IDENTIFIER_START);
}

export function isIdentifierPart(cp: number): boolean {
  return cp < 128 ? ASCII_PART[cp] : inRanges(cp, IDENTIFIER_START) || inRanges(cp, IDENTIFIER_PART_EXTRA);
}

export function isWhitespace(cp: number): boolean {
  return WHITESPACE.has(cp);
}

export function isDigit(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x39;
}

/** Lone UTF-16 surrogates: not characters; they would reach PostgreSQL as U+FFFD. */
export function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

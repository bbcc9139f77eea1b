/**
 * Bounds on what one filter may cost. The text limit is checked before lexing; the others while
 * parsing, so a hostile filter is refused after at most one linear pass over at most 8 KiB.
 */
export interface FilterLimits {
  /** UTF-8 bytes of filter text. */
  maxBytes: number;
  /** Tokens (every token is at least one character, so maxBytes bounds this too). */
  maxTokens: number;
  /** Nesting: parentheses, NOT, unary minus, function arguments. */
  maxDepth: number;
  /** Expression nodes (coordinates not counted). */
  maxNodes: number;
  /** Coordinates in all geometry literals together. */
  maxCoordinates: number;
}

export const FILTER_LIMITS: Readonly<FilterLimits> = Object.freeze({
  maxBytes: 8192,
  maxTokens: 8192,
  maxDepth: 32,
  maxNodes: 2000,
  maxCoordinates: 10000,
});

/**
 * Quoting for the places request-derived text meets SQL text. Identifiers come from the catalog
 * (never from the URL directly); literals from verified token claims and from a function layer's
 * query arguments; integers from parsed tile coordinates. All are quoted or checked, because a
 * table can be named `a"; drop table b; --` and an argument can be anything.
 */

/** `"name"` with embedded quotes doubled. Rejects NUL, which PostgreSQL identifiers cannot hold. */
export function escapeIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal that is safe whatever `standard_conforming_strings` says: quotes doubled and,
 * when backslashes are present, the E'' form with backslashes doubled (as libpq's PQescapeLiteral).
 */
export function escapeLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL character');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * A whole number as SQL text. Only safe integers (the tile coordinates and parameters, already
 * parsed and range-checked) pass; anything else is a programming error, never request text.
 */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${String(value)}`);
  return String(value);
}

/** `"schema"."name"` */
export function qualifiedName(schema: string, name: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
}

/** A finite number as SQL text (coordinates from the configuration); anything else is a programming error. */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${String(value)}`);
  return String(value);
}

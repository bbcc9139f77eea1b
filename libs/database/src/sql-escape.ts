/**
 * Quoting for the two places request-derived text may meet SQL text. Identifiers come from the
 * catalog (never from the URL directly), literals from verified token claims; both are still
 * quoted because a table can be named `a"; drop table b; --`.
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

/** `"schema"."name"` */
export function qualifiedName(schema: string, name: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
}

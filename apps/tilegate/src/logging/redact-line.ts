import { isSecretKeyName, mayHoldSecret, REDACTED, redactSecrets } from './redact';

/** Known secrets shorter than this are left to the patterns: masking "pw" everywhere would garble every line. */
const MIN_KNOWN_SECRET_LENGTH = 8;

/**
 * The redaction every serialized log line passes through (pino's `streamWrite` hook), whatever
 * wrote it: every string in the line, at any depth, goes through redactSecrets; a field named like
 * a secret (`password`, `token`, `authorization`, ...) loses its whole value; and each known secret
 * (the DbConnection password, the JWT secret) is masked wherever it appears. Lines that cannot
 * hold any of these (most of them) are returned as they are, unparsed.
 */
export function lineRedactor(knownSecrets: readonly string[] = []): (line: string) => string {
  const known = knownSecrets.filter((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH);
  // How each known secret appears inside a JSON string, to test the serialized line before parsing it.
  const escaped = known.map((secret) => JSON.stringify(secret).slice(1, -1));
  const redactText = (text: string): string => redactSecrets(known.reduce((out, secret) => out.split(secret).join(REDACTED), text));

  return (line) => {
    if (!mayHoldSecret(line) && !escaped.some((secret) => line.includes(secret))) return line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return redactText(line);
    }
    return `${JSON.stringify(redactValue(parsed, undefined, redactText))}\n`;
  };
}

function redactValue(value: unknown, key: string | undefined, redactText: (text: string) => string): unknown {
  if (value === null || value === undefined) return value;
  if (key !== undefined && isSecretKeyName(key)) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, undefined, redactText));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = redactValue(item, name, redactText);
    return out;
  }
  return value;
}

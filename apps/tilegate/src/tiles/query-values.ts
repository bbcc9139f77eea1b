import { InvalidParameterError } from '@app/errors';

export type RawQuery = Record<string, string | string[] | undefined>;

/** Longest value a parameter may have; checked before any parsing, so no value can be costly to read. */
export const MAX_PARAMETER_LENGTH = 4096;

/**
 * A tile request's query parameters as pg_tileserv reads them: names in any case (`LIMIT` is
 * `limit`), the first value of a repeated parameter, and parameters nobody asked for ignored
 * (cache-busters such as `?v=3` are everywhere in map styles). With StrictParameters, a repeated
 * or unknown parameter is a 400 instead.
 */
export class QueryParameters {
  private readonly byName = new Map<string, { name: string; values: string[] }>();

  constructor(
    raw: RawQuery,
    readonly strict: boolean,
  ) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      const entry = this.byName.get(key) ?? { name, values: [] };
      entry.values.push(...(Array.isArray(value) ? value : [value]));
      this.byName.set(key, entry);
    }
  }

  /** The parameter's (first) value, or undefined when it is absent. `exact` names match only in their own case first. */
  value(name: string, maxLength = MAX_PARAMETER_LENGTH): string | undefined {
    const entry = this.byName.get(name.toLowerCase());
    if (!entry) return undefined;
    if (entry.values.length > 1 && this.strict) throw new InvalidParameterError(entry.name, 'given more than once');
    const [value] = entry.values;
    if (value.length > maxLength) throw new InvalidParameterError(entry.name, `must be at most ${maxLength} characters`);
    return value;
  }

  /** With StrictParameters, refuses parameters the layer does not take, naming them and what it does take. */
  rejectUnknown(accepted: string[]): void {
    if (!this.strict) return;
    const known = new Set(accepted.map((a) => a.toLowerCase()));
    const unknown = [...this.byName.values()].find((entry) => !known.has(entry.name.toLowerCase()));
    if (unknown) throw new InvalidParameterError(unknown.name, 'not a parameter of this layer', `accepted parameters: ${accepted.join(', ') || 'none'}`);
  }
}

/**
 * An integer parameter: undefined when absent, a 400 when it is not a whole number (a value that
 * cannot be meant). Range handling is the caller's: pg_tileserv's meanings of 0 and negatives differ
 * per parameter.
 */
export function integerValue(query: QueryParameters, name: string): number | undefined {
  const text = query.value(name);
  if (text === undefined) return undefined;
  if (!/^[+-]?\d{1,12}$/.test(text.trim())) throw new InvalidParameterError(name, 'must be a whole number');
  return Number(text.trim());
}

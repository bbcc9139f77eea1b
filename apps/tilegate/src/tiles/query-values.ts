import { InvalidParameterError } from '@app/errors';

export type RawQuery = Record<string, string | string[] | undefined>;

/** Longest value a parameter may have; checked before any parsing, so no value can be costly to read. */
export const MAX_PARAMETER_LENGTH = 4096;

/** A single value for a query parameter; repeating it is ambiguous and refused. */
export function singleValue(query: RawQuery, name: string, maxLength = MAX_PARAMETER_LENGTH): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new InvalidParameterError(name, 'given more than once');
  if (value !== undefined && value.length > maxLength) throw new InvalidParameterError(name, `must be at most ${maxLength} characters`);
  return value;
}

/** A whole number within [min, max], or the default when the parameter is absent. */
export function boundedInteger(query: RawQuery, name: string, fallback: number, min: number, max: number): number {
  const text = singleValue(query, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,10}$/.test(text)) throw new InvalidParameterError(name, `must be a whole number from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) throw new InvalidParameterError(name, `must be from ${min} to ${max}, got ${value}`);
  return value;
}

/** Refuses parameters the layer does not take, naming them and what it does take. */
export function rejectUnknown(query: RawQuery, accepted: string[]): void {
  const unknown = Object.keys(query).filter((name) => !accepted.includes(name));
  if (unknown.length > 0) {
    throw new InvalidParameterError(unknown[0], 'not a parameter of this layer', `accepted parameters: ${accepted.join(', ') || 'none'}`);
  }
}

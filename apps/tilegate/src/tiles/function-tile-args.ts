import { InvalidParameterError } from '@app/errors';
import { FunctionArgument, FunctionLayer } from '../catalog/layer.types';
import { RawQuery, rejectUnknown, singleValue } from './query-values';

/** An argument value from the query, sent as an escaped literal cast to the argument's type. */
export interface BoundArgument {
  name: string;
  /** The quoted `"schema"."type"` to cast to (FunctionArgument.cast). */
  cast: string;
  value: string;
}

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};
const NUMBER_TYPES = new Set(['numeric', 'real', 'double precision']);
// One way to match each input, so a long malformed number fails in linear time.
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false|t|f|yes|no|on|off|1|0)$/i;

/**
 * Query parameters of a function layer: each must be one of the function's own arguments (after
 * z, x, y). Common types are checked here so the message can name the parameter; any other type is
 * checked by PostgreSQL's cast, whose refusal is a 400 too. Arguments not given keep their default;
 * one without a default must be given.
 */
export function parseFunctionArgs(query: RawQuery, layer: FunctionLayer): BoundArgument[] {
  rejectUnknown(query, layer.arguments.map((a) => a.name));
  const bound: BoundArgument[] = [];
  for (const argument of layer.arguments) {
    const value = singleValue(query, argument.name);
    if (value === undefined) {
      if (argument.default === null) throw new InvalidParameterError(argument.name, `required (type ${argument.type})`);
      continue;
    }
    // PostgreSQL text cannot hold NUL, and no literal can carry it.
    if (value.includes('\u0000')) throw new InvalidParameterError(argument.name, 'must not contain a NUL character');
    checkValue(argument, value);
    bound.push({ name: argument.name, cast: argument.cast, value });
  }
  return bound;
}

function checkValue(argument: FunctionArgument, value: string): void {
  const range = INTEGER_RANGES[argument.type];
  if (range) {
    if (!/^[+-]?\d{1,20}$/.test(value) || BigInt(value) < range[0] || BigInt(value) > range[1]) {
      throw new InvalidParameterError(argument.name, `must be a whole number from ${range[0]} to ${range[1]} (type ${argument.type})`);
    }
  } else if (NUMBER_TYPES.has(argument.type)) {
    if (!NUMBER.test(value)) throw new InvalidParameterError(argument.name, `must be a number (type ${argument.type})`);
  } else if (argument.type === 'boolean') {
    if (!BOOLEAN.test(value)) throw new InvalidParameterError(argument.name, 'must be true or false');
  }
}

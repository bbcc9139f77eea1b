import { InvalidParameterError } from '@app/errors';
import { FunctionArgument, FunctionLayer, FunctionOverload } from '../catalog/layer.types';
import { QueryParameters } from './query-values';

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
 * Query parameters of a function layer: its own arguments (after z, x, y), by name in any case;
 * other parameters are ignored, as pg_tileserv does (a 400 with StrictParameters). Common types
 * are checked here so the message can name the parameter; any other type is checked by
 * PostgreSQL's cast, whose refusal is a 400 too. Arguments not given keep their default; one
 * without a default must be given.
 */
export function parseFunctionArgs(query: QueryParameters, layer: FunctionLayer): BoundArgument[] {
  const overload = chooseOverload(query, layer);
  const bound: BoundArgument[] = [];
  for (const argument of overload.arguments) {
    const value = query.value(argument.name);
    if (value === undefined) {
      if (argument.default === null) throw new InvalidParameterError(argument.name, `required (type ${argument.type})`);
      continue;
    }
    bound.push(boundArgument(argument, value));
  }
  return bound;
}

/** A value for an argument, checked for what it must be (a 400 naming the argument if not), ready to cast. */
export function boundArgument(argument: FunctionArgument, value: string): BoundArgument {
  // PostgreSQL text cannot hold NUL, and no literal can carry it.
  if (value.includes('\u0000')) throw new InvalidParameterError(argument.name, 'must not contain a NUL character');
  checkValue(argument, value);
  return { name: argument.name, cast: argument.cast, value };
}

/**
 * The overload a request means: of those whose arguments without defaults it all gives, the one
 * that takes the most of the parameters given; several equally good is a 400 that lists them
 * (PostgreSQL would refuse the call as ambiguous). One function is simply itself.
 */
function chooseOverload(query: QueryParameters, layer: FunctionLayer): FunctionOverload {
  if (layer.overloads.length === 1) return layer.overloads[0];
  const given = (argument: FunctionArgument) => query.value(argument.name) !== undefined;
  const callable = layer.overloads.filter((o) => o.arguments.every((a) => a.default !== null || given(a)));
  const score = (o: FunctionOverload) => o.arguments.filter(given).length;
  const best = Math.max(-1, ...callable.map(score));
  const chosen = callable.filter((o) => score(o) === best);
  const signatures = layer.overloads.map((o) => `(${o.arguments.map((a) => `${a.name} ${a.type}${a.default === null ? '' : ' default'}`).join(', ')})`).join(', ');
  if (chosen.length !== 1) throw new InvalidParameterError('arguments', chosen.length === 0 ? 'no version of this function takes these arguments' : 'these arguments fit more than one version of this function', `versions: ${signatures}`);
  return chosen[0];
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

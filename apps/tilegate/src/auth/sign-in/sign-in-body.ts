import { InvalidParameterError } from '@app/errors';
import type { SignInFunction } from '../../catalog/layer.types';
import { boundArgument, BoundArgument } from '../../tiles/function-tile-args';

/** Argument names taken as the user name, for counting failed sign-ins per user. */
const USER_NAME = /^(e?mail|email_address|user(_?name)?|login|account|name)$/i;

export interface SignInCall {
  args: BoundArgument[];
  /** The value of the argument that names the user (or the first argument's), for the per-user limit. */
  userName: string;
}

/**
 * A sign-in request's JSON body as the function's arguments, by name: strings as given, numbers
 * and booleans as text, objects and arrays as JSON text (for json arguments), each checked and
 * cast like a function layer's arguments. A name the function does not take is a 400 (a sign-in
 * form with a typo must not quietly sign in with a default); an argument without a default must
 * be given.
 */
export function signInCall(body: unknown, fn: SignInFunction): SignInCall {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('body', 'must be a JSON object of the function\'s arguments', `arguments: ${fn.arguments.map((a) => a.name).join(', ')}`);
  const given = new Map(Object.entries(body as Record<string, unknown>));
  const unknown = [...given.keys()].find((name) => !fn.arguments.some((a) => a.name === name));
  if (unknown !== undefined) throw new InvalidParameterError(unknown, 'not an argument of this sign-in function', `arguments: ${fn.arguments.map((a) => a.name).join(', ')}`);
  const args: BoundArgument[] = [];
  for (const argument of fn.arguments) {
    const value = given.get(argument.name);
    if (value === undefined || value === null) {
      if (argument.default === null) throw new InvalidParameterError(argument.name, `required (type ${argument.type})`);
      continue;
    }
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    args.push(boundArgument(argument, text));
  }
  const named = args.find((a) => USER_NAME.test(a.name)) ?? args[0];
  return { args, userName: limiterUserName(named?.value ?? '') };
}

/**
 * The user name as the failure limiter counts it: one budget for every spelling a database might
 * take for the same user. Case alone is not enough: PostgreSQL's lower('fİeld') is 'field' where
 * JavaScript's is 'fi̇eld', so each dotted capital I would have had a budget of its own. Letters
 * are decomposed and their marks dropped before lower-casing, so accented variants share one
 * budget too (stricter, never looser).
 */
export function limiterUserName(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().slice(0, 256);
}

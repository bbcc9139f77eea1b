import { inspect } from 'node:util';

/** What one Nest logger call says, taken apart the way Nest's own ConsoleLogger reads its arguments. */
export interface NestLogCall {
  msg: string;
  context?: string;
  /** Only a real stack trace (a first line, then `at ...` frames). */
  stack?: string;
  /** A string in the stack's place that is not a stack: kept, but not called a stack. */
  detail?: string;
  /** Any further arguments. */
  params?: unknown[];
}

/**
 * Nest calls `log(message, ...params, context?)` and `error(message, stack?, context?)`: a `Logger`
 * with a context appends it as the last argument, and `error` without a stack passes `undefined`
 * in its place. An Error as the message brings its own stack (kept only when `withStack`: errors
 * and fatals; a warning is one line).
 */
export function readNestLogCall(message: unknown, params: unknown[], withStack: boolean): NestLogCall {
  let rest = params;
  let context: string | undefined;
  let stack: string | undefined;
  let detail: string | undefined;
  // error(message, stack) from a Logger without a context: Nest's own special case.
  const loneStack = withStack && rest.length === 1 && isRealStack(rest[0]);
  if (!loneStack && rest.length > 0 && typeof rest[rest.length - 1] === 'string') {
    context = rest[rest.length - 1] as string;
    rest = rest.slice(0, -1);
  }
  if (withStack && rest.length > 0) {
    const last = rest[rest.length - 1];
    if (last === undefined || typeof last === 'string') {
      rest = rest.slice(0, -1);
      if (isRealStack(last)) stack = last;
      else if (last !== undefined && last !== '') detail = last;
    }
  }
  if (message instanceof Error && withStack && stack === undefined && isRealStack(message.stack)) stack = message.stack;
  const call: NestLogCall = { msg: messageText(message) };
  if (context !== undefined) call.context = context;
  if (stack !== undefined) call.stack = stack;
  if (detail !== undefined) call.detail = detail;
  const extra = rest.filter((param) => param !== undefined);
  if (extra.length > 0) call.params = extra;
  return call;
}

/** A first line, then at least one `    at ...` frame. */
export function isRealStack(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const firstBreak = value.indexOf('\n');
  return firstBreak > 0 && /^[ \t]+at \S/m.test(value.slice(firstBreak + 1));
}

function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  if (typeof message === 'object' && message !== null) return inspect(message, { depth: 3, breakLength: Infinity, compact: true });
  return String(message);
}

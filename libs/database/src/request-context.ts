import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request being served, for code that runs on its behalf. RoleTransaction reads the role
 * the guard decided from here, so it can be a singleton: a request-scoped provider makes Nest build
 * the controller, its services and the transaction again for every request, which the benchmark
 * measured at about 170 µs a request (bench/request-scope.js). The context also carries the
 * signal that fires when the client goes away, so the request's running statement is cancelled.
 */
interface RequestContext {
  request: object;
  abandoned?: AbortSignal;
}

const current = new AsyncLocalStorage<RequestContext>();

/** Runs `next` (and everything it starts) as part of serving `request`; `abandoned` fires if its client leaves. */
export function runInRequestContext(request: object, next: () => void, abandoned?: AbortSignal): void {
  current.run({ request, abandoned }, next);
}

export function currentRequest(): object | undefined {
  return current.getStore()?.request;
}

/** Fires when the current request's client has gone away before its answer was sent. */
export function currentAbandonSignal(): AbortSignal | undefined {
  return current.getStore()?.abandoned;
}

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request being served, for code that runs on its behalf. RoleTransaction reads the role
 * the guard decided from here, so it can be a singleton: a request-scoped provider makes Nest build
 * the controller, its services and the transaction again for every request, which the benchmark
 * measured at about 170 µs a request (bench/request-scope.js).
 */
const current = new AsyncLocalStorage<object>();

/** Runs `next` (and everything it starts) as part of serving `request`. */
export function runInRequestContext(request: object, next: () => void): void {
  current.run(request, next);
}

export function currentRequest(): object | undefined {
  return current.getStore();
}

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
  abandoned?: () => AbortSignal;
}

const current = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `next` (and everything it starts) as part of serving `request`. `abandoned` gives the
 * signal that fires if its client leaves: a function, so that requests that never run a
 * statement (cache hits) never make one (see abandonSignalOf).
 */
export function runInRequestContext(request: object, next: () => void, abandoned?: () => AbortSignal): void {
  current.run({ request, abandoned }, next);
}

/**
 * The abandon signal of a response, made on first use: aborted at once if the client has already
 * gone by then, else when it goes before the response has been sent.
 */
export function abandonSignalOf(response: { once(event: 'close', listener: () => void): unknown; readonly writableFinished: boolean }): () => AbortSignal {
  let controller: AbortController | undefined;
  let gone = false;
  response.once('close', () => {
    if (response.writableFinished) return;
    gone = true;
    controller?.abort();
  });
  return () => {
    if (!controller) {
      controller = new AbortController();
      if (gone) controller.abort();
    }
    return controller.signal;
  };
}

export function currentRequest(): object | undefined {
  return current.getStore()?.request;
}

/** Fires when the current request's client has gone away before its answer was sent. */
export function currentAbandonSignal(): AbortSignal | undefined {
  return current.getStore()?.abandoned?.();
}

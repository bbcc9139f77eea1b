/**
 * What a request carries for the code that serves it, besides its role (request-role.ts): the
 * signal that fires when its client goes away, so the request's running statement is cancelled.
 * Kept on the request object under a symbol and handed down with the request's RoleTransaction,
 * not in an AsyncLocalStorage: on Node 20 an AsyncLocalStorage in use runs a hook on every
 * promise the process makes, which measured 15 to 20 % of a cache hit's CPU (see the README's
 * Performance section).
 */
// A symbol key, so nothing that parses request input can set it.
const ABANDONED = Symbol('tilegate.abandoned');

type Carrier = { [ABANDONED]?: () => AbortSignal };

/**
 * Marks `request` as served until `abandoned` fires: a function, so that requests that never run
 * a statement (cache hits) never make a signal (see abandonSignalOf).
 */
export function setAbandonSignal(request: object, abandoned: () => AbortSignal): void {
  (request as Carrier)[ABANDONED] = abandoned;
}

/** The signal that fires if the request's client leaves; undefined for a request nothing marked. */
export function abandonSignalFor(request: object): (() => AbortSignal) | undefined {
  return (request as Carrier)[ABANDONED];
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

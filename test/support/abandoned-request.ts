import { request as httpRequest } from 'node:http';

/** Starts a request and closes its socket after `ms`, as a map panning past a tile does. */
export function abandonAfter(target: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(target);
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

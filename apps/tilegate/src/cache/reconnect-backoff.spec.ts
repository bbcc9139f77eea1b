import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('doubles from the first delay to the ceiling and stays there', () => {
    const backoff = new ReconnectBackoff({ initialMs: 250, maxMs: 5000 });
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('starts again after a success', () => {
    const backoff = new ReconnectBackoff({ initialMs: 250, maxMs: 5000 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(250);
  });
});

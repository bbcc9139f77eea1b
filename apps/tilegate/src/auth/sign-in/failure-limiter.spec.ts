import { FailureLimiter } from './failure-limiter';

describe('FailureLimiter', () => {
  let now = 0;
  const limiter = () => new FailureLimiter(60_000, () => now);

  it('refuses a key past its failures until its window ends', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.failed(['user:a', 'address:1']);
    expect(l.retryAfter([['user:a', 3]])).toBe(60);
    expect(l.retryAfter([['user:b', 3], ['address:1', 10]])).toBeUndefined();
    now += 59_000;
    expect(l.retryAfter([['user:a', 3]])).toBe(1);
    now += 1_000;
    expect(l.retryAfter([['user:a', 3]])).toBeUndefined();
  });

  it('forgets a user name after a success, not the address', () => {
    const l = limiter();
    l.failed(['user:a', 'address:1']);
    l.succeeded('user:a');
    expect(l.retryAfter([['user:a', 1]])).toBeUndefined();
    expect(l.retryAfter([['address:1', 1]])).toBeGreaterThan(0);
  });

  it('stays bounded', () => {
    const l = limiter();
    for (let i = 0; i < 20000; i++) l.failed([`user:${i}`]);
    expect(l.retryAfter([['user:0', 1]])).toBeUndefined();
    expect(l.retryAfter([['user:19999', 1]])).toBeGreaterThan(0);
  });
});

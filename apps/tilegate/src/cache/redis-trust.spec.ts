import { RedisTrust } from './redis-trust';

describe('RedisTrust', () => {
  it('starts untrusted and trusts after a bump', () => {
    const trust = new RedisTrust();
    expect(trust.trusted).toBe(false);
    expect(trust.period).toBeUndefined();
    expect(trust.bumpSucceeded(trust.beginBump())).toBe(true);
    expect(trust.period).toBeDefined();
  });

  it('distrusts on a failure until a later bump succeeds', () => {
    const trust = new RedisTrust();
    trust.bumpSucceeded(trust.beginBump());
    trust.distrust();
    expect(trust.trusted).toBe(false);
    expect(trust.bumpSucceeded(trust.beginBump())).toBe(true);
  });

  it('does not trust a bump sent before the failure, even if it succeeds after it', () => {
    const trust = new RedisTrust();
    const early = trust.beginBump();
    trust.distrust();
    expect(trust.bumpSucceeded(early)).toBe(false);
    expect(trust.trusted).toBe(false);
  });

  it('trusts the later of two overlapping bumps whichever answers first', () => {
    const trust = new RedisTrust();
    const early = trust.beginBump();
    trust.distrust();
    const late = trust.beginBump();
    expect(trust.bumpSucceeded(late)).toBe(true);
    const period = trust.period;
    expect(trust.bumpSucceeded(early)).toBe(true);
    expect(trust.period).toBe(period);
  });

  it('gives every trusted stretch a new period, so a lookup can tell it overlapped a loss', () => {
    const trust = new RedisTrust();
    trust.bumpSucceeded(trust.beginBump());
    const first = trust.period;
    trust.distrust();
    trust.bumpSucceeded(trust.beginBump());
    expect(trust.period).toBeDefined();
    expect(trust.period).not.toBe(first);
  });

  it('keeps the period when an extra bump succeeds while trusted', () => {
    const trust = new RedisTrust();
    trust.bumpSucceeded(trust.beginBump());
    const period = trust.period;
    trust.bumpSucceeded(trust.beginBump());
    expect(trust.period).toBe(period);
  });
});

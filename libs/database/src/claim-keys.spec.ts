import { ClaimKeys, settingKey } from './claim-keys';

describe('ClaimKeys', () => {
  it('blanks on each connection the keys other requests defined and this one lacks, once', () => {
    const keys = new ClaimKeys();
    const first = {};
    const second = {};
    expect(keys.missingOn(first, ['sub', 'org'])).toEqual([]);
    // The second connection never saw them: an anonymous request there defines them as ''.
    expect(keys.missingOn(second, [])).toEqual(['sub', 'org']);
    expect(keys.missingOn(second, [])).toEqual([]);
    // A new key reaches the first connection at its next request.
    expect(keys.missingOn(second, ['tid'])).toEqual([]);
    expect(keys.missingOn(first, ['sub'])).toEqual(['tid']);
    expect(keys.settable('tid')).toBe(true);
    expect(keys.settable('never')).toBe(false);
  });

  it('defines the keys the database declares on every connection from its first request', () => {
    const keys = new ClaimKeys();
    keys.declare(['sub', 'tenant']);
    expect(keys.missingOn({}, [])).toEqual(['sub', 'tenant']);
    expect(keys.missingOn({}, ['sub'])).toEqual(['tenant']);
  });

  it('stays bounded', () => {
    const keys = new ClaimKeys();
    keys.missingOn({}, Array.from({ length: 300 }, (_, i) => `k${i}`));
    expect(keys.settable('k255')).toBe(true);
    expect(keys.settable('k256')).toBe(false);
    expect(keys.missingOn({}, [])).toHaveLength(256);
  });

  it("treats keys as PostgreSQL names settings, without regard to ASCII case: one token's `Tenant` never blanks another's `tenant`", () => {
    const keys = new ClaimKeys();
    const connection = {};
    expect(keys.missingOn(connection, ['Tenant'])).toEqual([]);
    expect(keys.missingOn({}, ['tenant'])).toEqual([]);
    expect(keys.missingOn({}, ['TENANT', 'sub'])).toEqual([]);
    expect(keys.missingOn({}, [])).toEqual(['tenant', 'sub']);
    expect(keys.settable('tEnAnt')).toBe(true);
  });

  it('folds only ASCII letters, as PostgreSQL does', () => {
    expect(settingKey('Tenant_ID')).toBe('tenant_id');
    expect(settingKey('ÉTÉ')).toBe('ÉtÉ');
  });
});

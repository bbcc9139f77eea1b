import { EntryAddress, EntrySeal } from './entry-seal';

describe('EntrySeal', () => {
  const secret = 'a-redis-secret-of-at-least-32-characters';
  let now = 1_000_000;
  const seal = new EntrySeal(secret, () => now);
  const address: EntryAddress = { namespace: '123/db', generations: 'eAbc:g0,2', entryKey: 'roleA-key' };
  const tile = Buffer.from('a tile with a private property: tenant-a-secret-name');
  const deadline = now + 60_000;

  it('opens what it sealed at the same address, on any replica with the same secret, with its deadline', () => {
    const sealed = seal.seal(address, tile, deadline);
    expect(seal.open(address, sealed)).toEqual({ tile, deadlineMs: deadline });
    expect(new EntrySeal(secret, () => now).open(address, sealed)).toEqual({ tile, deadlineMs: deadline });
  });

  it('keeps no tile text in the clear, and seals the same tile differently each time', () => {
    const sealed = seal.seal(address, tile, deadline);
    expect(sealed.includes(Buffer.from('tenant-a-secret-name'))).toBe(false);
    expect(seal.seal(address, tile, deadline).equals(sealed)).toBe(false);
  });

  it('an entry moved to another key, generation or database does not open, however the parts are split', () => {
    const sealed = seal.seal(address, tile, deadline);
    expect(seal.open({ ...address, entryKey: 'roleB-key' }, sealed)).toBeUndefined();
    expect(seal.open({ ...address, generations: 'eAbc:g0,3' }, sealed)).toBeUndefined();
    expect(seal.open({ ...address, namespace: '123/other' }, sealed)).toBeUndefined();
    // The same characters split differently (a ':' in a database name, a tag from Redis).
    const joined = seal.seal({ namespace: 'db:eA', generations: 'g0', entryKey: 'k' }, tile, deadline);
    expect(seal.open({ namespace: 'db', generations: 'eA:g0', entryKey: 'k' }, joined)).toBeUndefined();
  });

  it('is expired once its deadline has passed, and a changed deadline does not open', () => {
    const sealed = seal.seal(address, tile, deadline);
    now = deadline;
    expect(seal.open(address, sealed)).toBe('expired');
    now = deadline - 1;
    expect(seal.open(address, sealed)).toEqual({ tile, deadlineMs: deadline });
    const later = Buffer.from(sealed);
    later.writeDoubleBE(deadline + 3_600_000, 1 + 12 + 16);
    expect(seal.open(address, later)).toBeUndefined();
  });

  it('another secret, a changed byte, a cut entry or plain tile bytes do not open', () => {
    const sealed = seal.seal(address, tile, deadline);
    expect(new EntrySeal(`${secret}x`, () => now).open(address, sealed)).toBeUndefined();
    for (const at of [0, 1, 14, 29, 37, sealed.length - 1]) {
      const changed = Buffer.from(sealed);
      changed[at] ^= 1;
      expect(seal.open(address, changed)).toBeUndefined();
    }
    expect(seal.open(address, sealed.subarray(0, sealed.length - 1))).toBeUndefined();
    expect(seal.open(address, sealed.subarray(0, 20))).toBeUndefined();
    expect(seal.open(address, tile)).toBeUndefined();
    expect(seal.open(address, Buffer.alloc(0))).toBeUndefined();
  });

  it('seals an empty tile (an empty tile is a real answer)', () => {
    expect(seal.open(address, seal.seal(address, Buffer.alloc(0), deadline))).toEqual({ tile: Buffer.alloc(0), deadlineMs: deadline });
  });
});

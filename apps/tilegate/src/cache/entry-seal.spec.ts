import { EntrySeal } from './entry-seal';

describe('EntrySeal', () => {
  const secret = 'a-redis-secret-of-at-least-32-characters';
  const seal = new EntrySeal(secret);
  const key = 'tilegate:123/db:eAbc:g0,2:roleA-key';
  const tile = Buffer.from('a tile with a private property: tenant-a-secret-name');

  it('opens what it sealed under the same key, on any replica with the same secret', () => {
    const sealed = seal.seal(key, tile);
    expect(seal.open(key, sealed)).toEqual(tile);
    expect(new EntrySeal(secret).open(key, sealed)).toEqual(tile);
  });

  it('keeps no tile text in the clear, and seals the same tile differently each time', () => {
    const sealed = seal.seal(key, tile);
    expect(sealed.includes(Buffer.from('tenant-a-secret-name'))).toBe(false);
    expect(seal.seal(key, tile).equals(sealed)).toBe(false);
  });

  it('an entry moved to another key (another role, a newer generation) does not open', () => {
    const sealed = seal.seal(key, tile);
    expect(seal.open('tilegate:123/db:eAbc:g0,2:roleB-key', sealed)).toBeUndefined();
    expect(seal.open('tilegate:123/db:eAbc:g0,3:roleA-key', sealed)).toBeUndefined();
  });

  it('another secret, a changed byte, a cut entry or plain tile bytes do not open', () => {
    const sealed = seal.seal(key, tile);
    expect(new EntrySeal(`${secret}x`).open(key, sealed)).toBeUndefined();
    for (const at of [0, 1, 14, 29, sealed.length - 1]) {
      const changed = Buffer.from(sealed);
      changed[at] ^= 1;
      expect(seal.open(key, changed)).toBeUndefined();
    }
    expect(seal.open(key, sealed.subarray(0, sealed.length - 1))).toBeUndefined();
    expect(seal.open(key, sealed.subarray(0, 20))).toBeUndefined();
    expect(seal.open(key, tile)).toBeUndefined();
    expect(seal.open(key, Buffer.alloc(0))).toBeUndefined();
  });

  it('seals an empty tile (an empty tile is a real answer)', () => {
    expect(seal.open(key, seal.seal(key, Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
  });
});

import { compareLsn, lsnValue } from './lsn';

describe('compareLsn', () => {
  it.each([
    ['0/0', '0/0', 0],
    ['0/16B3748', '0/16B3748', 0],
    ['0/16b3748', '0/16B3748', 0],
    ['0/16B3747', '0/16B3748', -1],
    ['0/FFFFFFFF', '1/0', -1],
    ['9/0', '10/0', -1],
    ['A/0', '9/FFFFFFFF', 1],
    ['FFFFFFFF/FFFFFFFF', '0/1', 1],
  ])('%s against %s is %d', (a, b, expected) => {
    expect(compareLsn(a, b)).toBe(expected);
  });

  it('reads both halves as hex', () => {
    expect(lsnValue('1/10')).toBe(0x1_0000_0010n);
  });

  it.each(['', '0', '0/', '/0', '0/0/0', 'G/0', '123456789/0', ' x'])('refuses %j', (text) => {
    expect(() => lsnValue(text)).toThrow(/not a WAL position/);
  });
});

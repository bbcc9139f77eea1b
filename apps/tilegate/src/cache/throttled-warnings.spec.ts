import { ThrottledWarnings } from './throttled-warnings';

describe('ThrottledWarnings', () => {
  const setup = () => {
    const lines: Array<{ obj: object; msg: string }> = [];
    let now = 1_000;
    const warnings = new ThrottledWarnings({ warn: (obj, msg) => lines.push({ obj, msg }) }, { namespace: 'ns' }, 10_000, () => now);
    return { lines, warnings, advance: (ms: number) => (now += ms) };
  };

  it('tells each kind once per interval, with the context added', () => {
    const { lines, warnings, advance } = setup();
    warnings.warn('lookup', { err: 'a' }, 'lookup failed');
    warnings.warn('lookup', { err: 'b' }, 'lookup failed');
    warnings.warn('store', { err: 'c' }, 'store failed');
    advance(9_999);
    warnings.warn('lookup', { err: 'd' }, 'lookup failed');
    advance(1);
    warnings.warn('lookup', { err: 'e' }, 'lookup failed');
    expect(lines).toEqual([
      { obj: { err: 'a', namespace: 'ns' }, msg: 'lookup failed' },
      { obj: { err: 'c', namespace: 'ns' }, msg: 'store failed' },
      { obj: { err: 'e', namespace: 'ns' }, msg: 'lookup failed' },
    ]);
  });

  it('tells the next failure at once after a reset', () => {
    const { lines, warnings } = setup();
    warnings.warn('lookup', {}, 'x');
    warnings.reset();
    warnings.warn('lookup', {}, 'y');
    expect(lines.map((l) => l.msg)).toEqual(['x', 'y']);
  });
});

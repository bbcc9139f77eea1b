import { resolveLogFormat } from './log-format';

describe('resolveLogFormat', () => {
  it('keeps an explicit format whatever stdout is', () => {
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('text', false)).toBe('text');
  });

  it('picks text for a terminal and JSON otherwise when set to auto', () => {
    expect(resolveLogFormat('auto', true)).toBe('text');
    expect(resolveLogFormat('auto', false)).toBe('json');
  });
});

import { isRealStack, readNestLogCall } from './nest-log-arguments';

describe('readNestLogCall', () => {
  it('takes the last string as the context and keeps other arguments as params', () => {
    expect(readNestLogCall('loaded', [{ layers: 3 }, 'Catalog'], false)).toEqual({ msg: 'loaded', context: 'Catalog', params: [{ layers: 3 }] });
    expect(readNestLogCall('plain', [], false)).toEqual({ msg: 'plain' });
  });

  it('reads error(message, undefined, context) as no stack', () => {
    expect(readNestLogCall('failed', [undefined, 'HTTP'], true)).toEqual({ msg: 'failed', context: 'HTTP' });
  });

  it('does not look for a stack below error level', () => {
    expect(readNestLogCall('careful', ['detail', 'Ctx'], false)).toEqual({ msg: 'careful', context: 'Ctx', params: ['detail'] });
  });
});

describe('isRealStack', () => {
  it('wants a first line and at least one frame', () => {
    expect(isRealStack(new Error('x').stack)).toBe(true);
    expect(isRealStack('Error: x\n    at <anonymous>')).toBe(true);
    expect(isRealStack('Error: x')).toBe(false);
    expect(isRealStack('two\nlines')).toBe(false);
    expect(isRealStack(undefined)).toBe(false);
  });
});

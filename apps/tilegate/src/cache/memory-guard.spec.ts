import { MemoryGuard, nextCacheLimit, PROCESS_ALLOWANCE_BYTES, SHRINK_SETTLE_MS } from './memory-guard';

const MB = 1024 * 1024;
const max = 256 * MB;
/** The process limit the guard keeps under: TileCacheSize + 150 MB. */
const processLimit = max + PROCESS_ALLOWANCE_BYTES;

describe('nextCacheLimit', () => {
  const settled = { maxBytes: max, msSinceShrink: Infinity };

  it('leaves a full cache alone while the process is well within its limit', () => {
    expect(nextCacheLimit({ ...settled, rssBytes: processLimit - 100 * MB, heldBytes: max, limitBytes: max })).toBe(max);
  });

  it('gives up what the process is over the mark by (48 MB under the limit), evicting from what is held', () => {
    const limit = nextCacheLimit({ ...settled, rssBytes: processLimit - 38 * MB, heldBytes: 250 * MB, limitBytes: max });
    expect(limit).toBe(240 * MB);
  });

  it('waits for an eviction to show in the resident set before giving up more', () => {
    const state = { maxBytes: max, rssBytes: processLimit, heldBytes: 200 * MB, limitBytes: 200 * MB };
    expect(nextCacheLimit({ ...state, msSinceShrink: SHRINK_SETTLE_MS - 1 })).toBe(200 * MB);
    expect(nextCacheLimit({ ...state, msSinceShrink: SHRINK_SETTLE_MS })).toBe(152 * MB);
  });

  it('never goes below nothing, nor above TileCacheSize', () => {
    expect(nextCacheLimit({ ...settled, rssBytes: processLimit + 500 * MB, heldBytes: 10 * MB, limitBytes: max })).toBe(0);
    expect(nextCacheLimit({ ...settled, rssBytes: 100 * MB, heldBytes: 0, limitBytes: max - MB })).toBe(max);
  });

  it('grows back a sixteenth of the cache at a time once the process is well under the mark, and holds in between', () => {
    expect(nextCacheLimit({ ...settled, rssBytes: 100 * MB, heldBytes: 0, limitBytes: 0 })).toBe(16 * MB);
    // Between the mark and the headroom below it: neither.
    expect(nextCacheLimit({ ...settled, rssBytes: processLimit - 70 * MB, heldBytes: 100 * MB, limitBytes: 100 * MB })).toBe(100 * MB);
  });
});

describe('MemoryGuard', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sets the level a lower limit when the process passes the mark, once per settling time, and lifts it again', () => {
    const level: { maxBytes: number; bytes: number; limit: number; setLimit: jest.Mock<void, [number]> } = { maxBytes: max, bytes: max, limit: max, setLimit: jest.fn() };
    level.setLimit.mockImplementation((bytes: number) => {
      level.limit = bytes;
      level.bytes = Math.min(level.bytes, bytes);
    });
    let rss = processLimit;
    let clock = 0;
    const guard = new MemoryGuard(level, () => rss, () => clock);
    clock += 250;
    jest.advanceTimersByTime(250);
    expect(level.limit).toBe(max - 48 * MB);
    clock += 250;
    jest.advanceTimersByTime(250);
    expect(level.setLimit).toHaveBeenCalledTimes(1);
    // Well under the mark again: back a sixteenth (16 MB) at a time.
    rss = 100 * MB;
    clock += 250;
    jest.advanceTimersByTime(250);
    expect(level.limit).toBe(max - 32 * MB);
    clock += 250;
    jest.advanceTimersByTime(250);
    expect(level.limit).toBe(max - 16 * MB);
    clock += 250;
    jest.advanceTimersByTime(250);
    expect(level.limit).toBe(max);
    guard.stop();
  });
});

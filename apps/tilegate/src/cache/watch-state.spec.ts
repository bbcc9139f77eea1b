import { RelationWatch, toWatchState, watchChanges, watchState } from './watch-state';

describe('toWatchState', () => {
  it('reads int8 text and arrays of it', () => {
    const state = toWatchState([10, 20], [
      { oid: '10', watched: true, base_tables: ['10'] },
      { oid: '20', watched: false, base_tables: ['10', '30'] },
    ]);
    expect([...state]).toEqual([
      [10, { watched: true, baseTables: [10] }],
      [20, { watched: false, baseTables: [10, 30] }],
    ]);
  });

  it('never reads a missing or odd answer as watched', () => {
    const state = toWatchState([10, 20], [{ oid: '10', watched: 't', base_tables: null }, { oid: '99', watched: true, base_tables: [] }]);
    expect(state.get(10)).toEqual({ watched: false, baseTables: [] });
    expect(state.get(20)).toEqual({ watched: false, baseTables: [] });
    expect(state.has(99)).toBe(false);
  });
});

describe('watchState', () => {
  it('asks nothing for no relations', async () => {
    const runQuery = jest.fn();
    expect((await watchState(runQuery, [])).size).toBe(0);
    expect(runQuery).not.toHaveBeenCalled();
  });

  it('passes the oids as one array parameter, and names every catalog object by its schema', async () => {
    const runQuery = jest.fn().mockResolvedValue([]);
    await watchState(runQuery, [5, 6]);
    const [text, values] = runQuery.mock.calls[0];
    expect(values).toEqual([[5, 6]]);
    const unqualified = text.replace(/--.*$/gm, '').match(/\b(?:FROM|JOIN)\s+(?!pg_catalog\.|reached\b|node\b|ddl_trigger\b|LATERAL\b)\w+/g);
    expect(unqualified).toBeNull();
  });
});

describe('watchChanges', () => {
  const state = (entries: Array<[number, boolean, number[]]>) => new Map<number, RelationWatch>(entries.map(([oid, watched, baseTables]) => [oid, { watched, baseTables }]));

  it('names the relations that became watched or unwatched, or whose tables changed', () => {
    const before = state([[1, true, [1]], [2, false, []], [3, true, [3, 30]], [4, true, [4]]]);
    const after = state([[1, true, [1]], [2, true, [2]], [3, true, [30, 31]], [4, false, [4]]]);
    expect(watchChanges(before, after)).toEqual([2, 3, 4]);
  });

  it('counts a relation read for the first time (or after the listener was lost) as unwatched before', () => {
    expect(watchChanges(new Map(), state([[1, true, [1]], [2, false, [2]]]))).toEqual([1]);
  });

  it('sees no change in the same tables in another order', () => {
    expect(watchChanges(state([[1, true, [1, 2]]]), state([[1, true, [2, 1]]]))).toEqual([]);
  });
});

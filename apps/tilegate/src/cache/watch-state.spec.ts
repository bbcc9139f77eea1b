import { toWatchState, watchState } from './watch-state';

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

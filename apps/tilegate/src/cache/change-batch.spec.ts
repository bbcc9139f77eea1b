import { ChangeBatch, CHANGES_CHANNEL, DDL_CHANNEL, parseTableOid } from './change-batch';

describe('parseTableOid', () => {
  it.each([
    ['16384', 16384],
    ['4294967295', 4294967295],
  ])('reads %s', (payload, oid) => expect(parseTableOid(payload)).toBe(oid));

  it.each(['', '0', '-1', '012', '1.5', ' 16384', 'public.parcels', '4294967296', '99999999999'])('refuses %j, which no trigger of ours sends', (payload) =>
    expect(parseTableOid(payload)).toBeUndefined(),
  );
});

describe('ChangeBatch', () => {
  it('collects distinct table oids in order and empties on take', () => {
    const batch = new ChangeBatch();
    expect(batch.isEmpty).toBe(true);
    for (const payload of ['300', '20', '300', '1000']) expect(batch.add(CHANGES_CHANNEL, payload)).toBe(true);
    expect(batch.isEmpty).toBe(false);
    expect(batch.take()).toEqual({ tableOids: [20, 300, 1000], ddl: false });
    expect(batch.isEmpty).toBe(true);
    expect(batch.take()).toEqual({ tableOids: [], ddl: false });
  });

  it('remembers DDL whatever its tag', () => {
    const batch = new ChangeBatch();
    expect(batch.add(DDL_CHANNEL, 'ALTER TABLE')).toBe(true);
    expect(batch.add(CHANGES_CHANNEL, '42')).toBe(true);
    expect(batch.take()).toEqual({ tableOids: [42], ddl: true });
  });

  it('ignores other channels and payloads that are not oids', () => {
    const batch = new ChangeBatch();
    expect(batch.add('elsewhere', '42')).toBe(false);
    expect(batch.add(CHANGES_CHANNEL, 'hello')).toBe(false);
    expect(batch.isEmpty).toBe(true);
  });
});

import { checkDate, checkTimestamp } from './temporal-literal';

describe('checkDate', () => {
  it.each(['2020-01-01', '2020-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (text) => {
    expect(checkDate(text)).toBe(text);
  });
  it.each(['2020-1-01', '2020-13-01', '2020-00-10', '2021-02-29', '1900-02-29', '2020-04-31', '0000-01-01', '2020-01-01 ', '20200101', '2020/01/01'])(
    'refuses %j',
    (text) => expect(checkDate(text)).toBeNull(),
  );
});

describe('checkTimestamp', () => {
  it('accepts RFC 3339 date-times, normalising the offset', () => {
    expect(checkTimestamp('2012-08-10T05:30:00Z')).toEqual({ value: '2012-08-10T05:30:00', offset: 'Z' });
    expect(checkTimestamp('2012-08-10t05:30:00.000000z')).toEqual({ value: '2012-08-10T05:30:00.000000', offset: 'Z' });
    expect(checkTimestamp('2012-08-10T05:30:00+05:30')).toEqual({ value: '2012-08-10T05:30:00', offset: '+05:30' });
    expect(checkTimestamp('2012-08-10T05:30:00-00:00')).toEqual({ value: '2012-08-10T05:30:00', offset: 'Z' });
  });

  it('wants seconds and an offset, except in the bare pg_tileserv form', () => {
    expect(checkTimestamp('2012-08-10T05:30Z')).toBeNull();
    expect(checkTimestamp('2012-08-10T05:30:00')).toBeNull();
    expect(checkTimestamp('2012-08-10T05:30', true)).toEqual({ value: '2012-08-10T05:30:00', offset: null });
    expect(checkTimestamp('2012-08-10T05:30:07', true)).toEqual({ value: '2012-08-10T05:30:07', offset: null });
  });

  it.each(['2012-08-10T24:00:00Z', '2012-08-10T05:60:00Z', '2012-08-10T05:30:60Z', '2012-08-10T05:30:00.Z', '2012-08-10T05:30:00.1234567891Z', '2012-08-10T05:30:00+16:00', '2012-08-10T05:30:00+0530', '2012-08-10 05:30:00Z', '2012-02-30T05:30:00Z'])(
    'refuses %j',
    (text) => expect(checkTimestamp(text, true)).toBeNull(),
  );
});

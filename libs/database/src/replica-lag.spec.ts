import { PrimaryLsnHistory, replicaLagSeconds } from './replica-lag';

describe('replicaLagSeconds', () => {
  const now = 100_000;
  const samples = [
    { atMs: now - 3000, lsn: '0/100' },
    { atMs: now - 2000, lsn: '0/200' },
    { atMs: now - 1000, lsn: '0/300' },
    { atMs: now - 250, lsn: '0/400' },
  ];

  it('is 0 for a replica that has replayed what the primary had, however old its last replayed commit', () => {
    expect(replicaLagSeconds({ replayLsn: '0/400', replayAgeSeconds: 3600 }, samples, now)).toBe(0);
    expect(replicaLagSeconds({ replayLsn: '0/500', replayAgeSeconds: null }, samples, now)).toBe(0);
  });

  it('is the replay age when behind and that is the smaller measure', () => {
    expect(replicaLagSeconds({ replayLsn: '0/150', replayAgeSeconds: 0.5 }, samples, now)).toBe(0.5);
  });

  it('is at most the time since the primary was last seen at or before the replay position (the idle-primary case)', () => {
    expect(replicaLagSeconds({ replayLsn: '0/300', replayAgeSeconds: 3600 }, samples, now)).toBe(1);
    expect(replicaLagSeconds({ replayLsn: '0/250', replayAgeSeconds: 3600 }, samples, now)).toBe(2);
  });

  it('falls back to the replay age for a position older than every sample, and to Infinity before any replay', () => {
    expect(replicaLagSeconds({ replayLsn: '0/50', replayAgeSeconds: 42 }, samples, now)).toBe(42);
    expect(replicaLagSeconds({ replayLsn: '0/50', replayAgeSeconds: null }, samples, now)).toBe(Infinity);
  });

  it('is Infinity without any sample of the primary', () => {
    expect(replicaLagSeconds({ replayLsn: '0/50', replayAgeSeconds: 0 }, [], now)).toBe(Infinity);
  });
});

describe('PrimaryLsnHistory', () => {
  it('keeps the window and one sample before it', () => {
    const history = new PrimaryLsnHistory(1000);
    for (let t = 0; t <= 5000; t += 250) history.add({ atMs: t, lsn: `0/${t.toString(16)}` });
    expect(history.samples[0].atMs).toBe(3750);
    expect(history.latest?.atMs).toBe(5000);
  });
});

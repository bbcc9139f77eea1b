import { createLogger } from './create-logger';
import { LogCapture } from './log-capture';
import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  let out: LogCapture;
  let clock: number;
  let outage: OutageLog;

  beforeEach(() => {
    out = new LogCapture();
    clock = 1_000;
    const logger = createLogger({ format: 'json', level: 'info', destination: out }).child({ context: 'Database' });
    outage = new OutageLog(logger, 'database', () => clock);
  });

  it('writes one warn line when an outage starts and one info line when it ends', () => {
    outage.failed('connect ECONNREFUSED 10.0.0.5:5432');
    for (let i = 0; i < 56; i++) {
      clock += 200;
      outage.failed('timeout exceeded when trying to connect');
    }
    clock = 1_000 + 12_345;
    outage.recovered();
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'warn', context: 'Database', outage: 'database', msg: 'database unreachable: connect ECONNREFUSED 10.0.0.5:5432' }),
      expect.objectContaining({
        level: 'info',
        context: 'Database',
        outage: 'database',
        outage_s: 12.3,
        failures: 57,
        msg: 'database reachable again after 12.3 s, 57 requests failed',
      }),
    ]);
  });

  it('writes nothing for successes outside an outage', () => {
    outage.recovered();
    outage.recovered();
    expect(out.text).toBe('');
    expect(outage.down).toBe(false);
  });

  it('logs each distinct outage, counting each one from zero', () => {
    outage.failed('first');
    clock += 1_000;
    outage.recovered();
    outage.recovered();
    outage.failed('second');
    expect(outage.down).toBe(true);
    clock += 50;
    outage.recovered();
    expect(out.lines().map((line) => line.msg)).toEqual([
      'database unreachable: first',
      'database reachable again after 1.0 s, 1 request failed',
      'database unreachable: second',
      'database reachable again after 0.1 s, 1 request failed',
    ]);
  });

  it('redacts the reason like any other line', () => {
    outage.failed('password authentication failed for postgresql://tilegate:s3cret@db/gis');
    expect(out.text).not.toContain('s3cret');
  });
});

import { createLogger } from './create-logger';
import { LogCapture } from './log-capture';

describe('createLogger', () => {
  describe('json', () => {
    const setup = (level: 'debug' | 'info' | 'warn' | 'error' = 'info', secrets?: string[]) => {
      const out = new LogCapture();
      return { out, logger: createLogger({ format: 'json', level, destination: out, secrets }) };
    };

    it('writes one object per line: level label, ISO time, context, fields, msg; no pid or hostname', () => {
      const { out, logger } = setup();
      logger.info({ context: 'Catalog', layers: 3 }, 'loaded');
      logger.warn('second');
      const [first, second] = out.lines();
      expect(first).toEqual({ level: 'info', time: expect.any(String), context: 'Catalog', layers: 3, msg: 'loaded' });
      expect(new Date(first.time as string).toISOString()).toBe(first.time);
      expect(second).toMatchObject({ level: 'warn', msg: 'second' });
      expect(out.text.split('\n')).toHaveLength(3);
    });

    it('drops lines below its level', () => {
      const { out, logger } = setup('warn');
      logger.info('hidden');
      logger.debug('hidden');
      logger.error('shown');
      expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
    });

    it('redacts the message, fields, child bindings and known secrets of every line', () => {
      const { out, logger } = setup('info', ['the-db-password']);
      const child = logger.child({ context: 'Database', url: 'postgresql://u:pw@db/gis' });
      child.error({ token: 'opaque', detail: 'Authorization: Bearer abc' }, 'login with the-db-password failed');
      expect(out.lines()[0]).toMatchObject({ url: 'postgresql://u:***@db/gis', token: '***', detail: 'Authorization: Bearer ***', msg: 'login with *** failed' });
      expect(out.text).not.toMatch(/pw@|opaque|abc|the-db-password/);
    });
  });

  describe('text', () => {
    it('writes human lines synchronously, context first, the stack on its own lines', () => {
      const out = new LogCapture();
      const logger = createLogger({ format: 'text', level: 'info', destination: out, colorize: false });
      logger.info({ context: 'Catalog' }, 'loaded 3 layers');
      logger.error({ context: 'HTTP', stack: 'Error: boom\n    at f (a.ts:1:1)', status: 500 }, 'boom');
      // No await: pino-pretty runs in this thread and has written by the time the call returns.
      const lines = out.text.split('\n');
      expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Catalog\] loaded 3 layers$/);
      expect(lines[1]).toMatch(/ERROR: \[HTTP\] boom \{"status":500\}$/);
      expect(lines[2]).toBe('Error: boom');
      expect(lines[3]).toBe('    at f (a.ts:1:1)');
    });

    it('redacts text lines too', () => {
      const out = new LogCapture();
      createLogger({ format: 'text', level: 'info', destination: out, colorize: false }).warn('cannot reach postgresql://u:secret@db');
      expect(out.text).toContain('postgresql://u:***@db');
      expect(out.text).not.toContain('secret');
    });
  });
});

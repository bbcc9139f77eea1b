import { ConsoleLogger, Logger } from '@nestjs/common';
import { ExceptionHandler } from '@nestjs/core/errors/exception-handler';
import { createLogger } from './create-logger';
import { LogCapture } from './log-capture';
import { NestPinoLogger } from './nest-pino-logger';

describe('NestPinoLogger', () => {
  let out: LogCapture;
  let nest: NestPinoLogger;

  beforeEach(() => {
    out = new LogCapture();
    nest = new NestPinoLogger(createLogger({ format: 'json', level: 'debug', destination: out }));
    // Through Nest's own Logger, so the arguments arrive exactly as Nest passes them.
    Logger.overrideLogger(nest);
  });

  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('writes each level with its context', () => {
    const logger = new Logger('Catalog');
    logger.log('loaded 3 layers');
    logger.warn('layer skipped');
    logger.debug('details');
    logger.fatal('giving up');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'Catalog', msg: 'loaded 3 layers' }),
      expect.objectContaining({ level: 'warn', context: 'Catalog', msg: 'layer skipped' }),
      expect.objectContaining({ level: 'debug', context: 'Catalog', msg: 'details' }),
      expect.objectContaining({ level: 'fatal', context: 'Catalog', msg: 'giving up' }),
    ]);
  });

  it('keeps a real stack as its own field, and nothing else as a stack', () => {
    const logger = new Logger('HTTP');
    const err = new Error('boom');
    logger.error('failed', err.stack);
    logger.error('no stack at all');
    logger.error('failed again', 'not a stack');
    const [withStack, without, notStack] = out.lines();
    expect(withStack).toMatchObject({ level: 'error', context: 'HTTP', msg: 'failed', stack: err.stack });
    expect(without).toEqual({ level: 'error', time: expect.any(String), context: 'HTTP', msg: 'no stack at all' });
    expect(notStack).toMatchObject({ msg: 'failed again', detail: 'not a stack' });
    expect(notStack).not.toHaveProperty('stack');
  });

  it('reads a lone stack from a context-less logger as a stack, as Nest does', () => {
    const err = new Error('boom');
    nest.error('failed', err.stack);
    expect(out.lines()[0]).toEqual({ level: 'error', time: expect.any(String), stack: err.stack, msg: 'failed' });
  });

  it('takes an Error message and its stack, the stack only at error level', () => {
    new Logger('Database').error(new Error('connection refused'));
    new Logger('Database').warn(new Error('retrying'));
    const [error, warning] = out.lines();
    expect(error).toMatchObject({ context: 'Database', msg: 'connection refused', stack: expect.stringContaining('\n    at ') });
    expect(warning).toEqual({ level: 'warn', time: expect.any(String), context: 'Database', msg: 'retrying' });
  });

  it('writes objects as one line of text, redacted like everything else', () => {
    new Logger('Config').log({ host: 'db', password: 's3cret' });
    expect(out.lines()[0].msg).toBe("{ host: 'db', password: '***' }");
  });

  it("drops the start-up failure Nest logs under ExceptionHandler: main.ts reports it once", () => {
    new ExceptionHandler().handle(new Error('cannot connect'));
    new Logger('Other').error('kept');
    expect(out.lines().map((line) => line.msg)).toEqual(['kept']);
  });

  it('honours the levels Nest enables, for its own lines only', () => {
    const pinoLogger = createLogger({ format: 'json', level: 'info', destination: out });
    const own = new NestPinoLogger(pinoLogger);
    own.setLogLevels(['error', 'log']);
    own.warn('not enabled', 'X');
    own.log('enabled', 'X');
    own.setLogLevels(['error', 'warn', 'log', 'debug']);
    own.debug('debug now enabled', 'X');
    own.setLogLevels([]);
    own.error('silenced', 'X');
    pinoLogger.debug('the shared logger keeps its level');
    pinoLogger.info('access line');
    expect(out.lines().map((line) => line.msg)).toEqual(['enabled', 'debug now enabled', 'access line']);
  });
});

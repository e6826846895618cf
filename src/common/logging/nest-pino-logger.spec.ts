import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { NestPinoLogger } from './nest-pino-logger.js';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level, base: null, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, nest: new NestPinoLogger(logger) };
}

describe('NestPinoLogger', () => {
  it('writes pino-style calls of a Logger with a context as fields and message', () => {
    const { lines, nest } = capture();
    const logger = new Logger('Quotas');
    Logger.overrideLogger(nest);
    try {
      logger.warn({ student_id: 'abc', feature: 'assessments' }, 'Quota nearly spent');
      logger.log('Plain message');
      logger.error({ err: new Error('boom') }, 'Unhandled error');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines[0]).toEqual({ level: 40, context: 'Quotas', student_id: 'abc', feature: 'assessments', msg: 'Quota nearly spent' });
    expect(lines[1]).toEqual({ level: 30, context: 'Quotas', msg: 'Plain message' });
    expect(lines[2]).toMatchObject({ level: 50, context: 'Quotas', msg: 'Unhandled error', err: { type: 'Error', message: 'boom' } });
  });

  it("keeps Nest's own error(message, stack, context) and respects the level", () => {
    const { lines, nest } = capture('warn');
    nest.error('Nest failed', 'Error: Nest failed\n    at somewhere', 'ExceptionHandler');
    nest.log('not written at warn', 'Boot');
    expect(lines).toEqual([{ level: 50, context: 'ExceptionHandler', stack: 'Error: Nest failed\n    at somewhere', msg: 'Nest failed' }]);
  });
});

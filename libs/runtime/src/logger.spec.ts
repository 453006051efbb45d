import { jest } from '@jest/globals';
import { JsonLogger } from './logger.js';

function capture(run: (logger: JsonLogger) => void, level: 'log' | 'warn' = 'log'): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run(new JsonLogger('ingest', level));
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l));
}

describe('JsonLogger', () => {
  it('writes one JSON object per line naming the service and the time', () => {
    const [record] = capture((logger) => logger.log('stored item', 'Webhook'));
    expect(record).toMatchObject({ level: 'log', message: 'stored item', context: 'Webhook', service: 'ingest' });
    expect(new Date(record!.time as string).toISOString()).toBe(record!.time);
  });

  it('never writes secrets found in logged objects', () => {
    const [record] = capture((logger) =>
      logger.log({ account: 'trust', accessToken: 'EAAB-very-secret', nested: { password: 'hunter2' } }),
    );
    const text = JSON.stringify(record);
    expect(text).not.toContain('EAAB-very-secret');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('trust');
  });

  it('drops lines below the configured level', () => {
    const records = capture((logger) => {
      logger.log('chatty');
      logger.warn('careful');
    }, 'warn');
    expect(records.map((r) => r.message)).toEqual(['careful']);
  });
});

import { EventEmitter } from 'node:events';
import { logErrorsOf } from './connection-errors.js';

function setUp(everyMs = 1_000) {
  const emitter = new EventEmitter();
  const lines: string[] = [];
  let clock = 0;
  logErrorsOf(emitter, 'redis (health)', (line) => lines.push(line), { everyMs, now: () => clock });
  return {
    lines,
    fail: (message: string) => emitter.emit('error', new Error(message)),
    advance: (ms: number) => (clock += ms),
  };
}

describe('logErrorsOf', () => {
  it('logs the first error of a spell at once, naming its source', () => {
    const { lines, fail } = setUp();
    fail('connect ECONNREFUSED 127.0.0.1:6379');
    expect(lines).toEqual(['redis (health): connect ECONNREFUSED 127.0.0.1:6379']);
  });

  it('holds back the errors of the next interval and counts them into the next line', () => {
    const { lines, fail, advance } = setUp(1_000);
    fail('connect ECONNREFUSED');
    for (let i = 0; i < 50; i++) {
      advance(10);
      fail('connect ECONNREFUSED');
    }
    expect(lines).toHaveLength(1);
    advance(600); // 1,100 ms after the first line
    fail('connect ECONNREFUSED');
    expect(lines).toEqual(['redis (health): connect ECONNREFUSED', 'redis (health): connect ECONNREFUSED (and 50 more since the last line)']);
    advance(1_000);
    fail('read ECONNRESET');
    expect(lines[2]).toBe('redis (health): read ECONNRESET');
  });

  it('keeps a line a line: a multi-line or long message is folded and cut', () => {
    const { lines, fail } = setUp();
    fail(`Missing key for job triage-item-1.\n  moveToFinished ${'x'.repeat(400)}`);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]!.startsWith('redis (health): Missing key for job triage-item-1. moveToFinished xxx')).toBe(true);
    expect(lines[0]!.length).toBeLessThanOrEqual('redis (health): '.length + 301);
  });

  it('is a listener, so the emitter no longer throws for want of one', () => {
    const emitter = new EventEmitter();
    expect(() => emitter.emit('error', new Error('x'))).toThrow('x');
    logErrorsOf(emitter, 's', () => undefined);
    expect(() => emitter.emit('error', new Error('x'))).not.toThrow();
  });
});

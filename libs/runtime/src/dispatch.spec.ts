import { UnrecoverableError, type Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from './dispatch.js';

function job(name: string, data: unknown): Job {
  return { name, data, queueName: 'triage' } as Job;
}

describe('dispatch', () => {
  const seen: unknown[] = [];
  const handlers: Handlers<'triage'> = {
    'triage.item': async (data) => {
      seen.push(data);
      return 'classified';
    },
  };

  it('runs the handler named by the job', async () => {
    await expect(dispatch('triage', handlers, job('triage.item', { v: 1, itemId: 'i1' }))).resolves.toBe('classified');
    expect(seen).toEqual([{ v: 1, itemId: 'i1' }]);
  });

  it('fails permanently on a job it has no handler for', async () => {
    const run = dispatch('triage', handlers, job('system.ping', { v: 1, nonce: 'n' }));
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run).rejects.toThrow('triage has no handler for job "system.ping" on queue "triage"');
  });

  it('fails permanently on a payload version it does not read, or none', async () => {
    await expect(dispatch('triage', handlers, job('triage.item', { v: 2, itemId: 'i1' }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(dispatch('triage', handlers, job('triage.item', null))).rejects.toThrow(/payload version undefined/);
  });
});

describe('answerPing', () => {
  it('answers with the service, its pid and the nonce, after holding as asked', async () => {
    const start = Date.now();
    await expect(answerPing('desk', { v: 1, nonce: 'abc', holdMs: 50 })).resolves.toEqual({ service: 'desk', pid: process.pid, nonce: 'abc' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
  });
});

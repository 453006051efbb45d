import { jobIdFor } from './job-id.js';

describe('jobIdFor', () => {
  it('is deterministic and never contains ":" nor is all digits', () => {
    const id = jobIdFor('triage.item', '123');
    expect(id).toBe(jobIdFor('triage.item', '123'));
    expect(id).not.toMatch(/:/);
    expect(id).not.toMatch(/^\d+$/);
    expect(jobIdFor('x.poll', 'mentions:42')).toBe('x-poll-mentions-42');
  });

  it('refuses an empty key, which would collapse every job into one', () => {
    expect(() => jobIdFor('triage.item', '')).toThrow(/empty key/);
  });
});

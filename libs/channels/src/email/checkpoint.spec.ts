import { resumeFrom } from './checkpoint.js';

describe('resumeFrom', () => {
  it('starts at the beginning without a checkpoint', () => {
    expect(resumeFrom(undefined, '100')).toEqual({ lastUid: 0, rescan: undefined });
  });

  it('resumes after the last stored UID of the same UIDVALIDITY', () => {
    expect(resumeFrom({ uidValidity: '100', lastUid: 57 }, '100')).toEqual({ lastUid: 57 });
  });

  it('reads everything again when UIDVALIDITY changed', () => {
    expect(resumeFrom({ uidValidity: '100', lastUid: 57 }, '101')).toEqual({ lastUid: 0, rescan: 'UIDVALIDITY changed from 100 to 101' });
  });

  it('reads everything again when the stored checkpoint is not one', () => {
    for (const bad of [{ uidValidity: '100' }, { uidValidity: 'x', lastUid: 1 }, { uidValidity: '100', lastUid: -1 }, 'junk']) {
      expect(resumeFrom(bad, '100')).toEqual({ lastUid: 0, rescan: 'the stored checkpoint is unreadable' });
    }
  });
});

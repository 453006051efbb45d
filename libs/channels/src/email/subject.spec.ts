import { threadSubject } from './subject.js';

describe('threadSubject', () => {
  it.each([
    ['Re: Parking', 'parking'],
    ['RE: Fwd: FW:  Parking   at the Royal ', 'parking at the royal'],
    ['AW: SV: Re[2]: Re(3): Termin', 'termin'],
    ['Fwd:Re:re:Parking', 'parking'],
    ['Parking: Re: evening', 'parking: re: evening'],
    ['Reply about parking', 'reply about parking'],
    ['Fwd parking', 'fwd parking'],
  ])('%j → %j', (subject, expected) => {
    expect(threadSubject(subject)).toBe(expected);
  });

  it('gives nothing for an empty subject, so such mail never threads by subject', () => {
    expect(threadSubject(undefined)).toBeUndefined();
    expect(threadSubject('   ')).toBeUndefined();
    expect(threadSubject('Re: ')).toBeUndefined();
  });
});

import { statedDeadline } from './deadline.js';

describe('statedDeadline', () => {
  it.each([
    ['Could you provide a statement? We are hoping to run this in tomorrow\'s edition so I\'d need anything by 4pm today.\n\nThanks, Hannah', 'by 4pm today'],
    ['Does the trust wish to comment?\n\nMy deadline is 3pm.\n\nThanks, Ruth Adebayo\nPA Media', 'deadline is 3pm'],
    ['Could you confirm the figures and provide a comment? My deadline is Thursday at noon.', 'deadline is Thursday at noon'],
    ['Our deadline is 5pm Friday, thanks', 'deadline is 5pm Friday'],
    ['Could the @NorthvaleNHS press office get in touch? Deadline Weds', 'Deadline Weds'],
    ['Could you let me know by 5pm today if that\'s possible?', 'by 5pm today'],
    ['Please send any comment by 6pm.\n\nJack Pritchard\nDaily Mail', 'by 6pm'],
    ['I\'m aiming to file by the end of next week.', 'by the end of next week'],
    ['Grateful for a line by end of day', 'by end of day'],
    ['need a response before we go to print at 3pm', 'before we go to print at 3pm'],
    ['wanted to get a comment from the trust before we publish on Friday.', 'before we publish on Friday'],
    ['We\'re going to print Thursday. Thanks', 'going to print Thursday'],
    ['Is anyone free to talk for tonight\'s bulletin?', 'for tonight\'s bulletin'],
    ['Working on this for tomorrow\'s paper, DMs open', 'for tomorrow\'s paper'],
    ['Can you confirm whether any patients were evacuated? We\'re on deadline.', 'on deadline'],
    ['Could we have a statement by 12:30 please', 'by 12:30'],
  ])('%j → %j', (text, expected) => {
    expect(statedDeadline(text)).toBe(expected);
  });

  it('prefers an explicit time to a mention of the next edition', () => {
    expect(statedDeadline("We're running this in tomorrow's paper; my deadline is 6pm tonight")).toBe('deadline is 6pm tonight');
  });

  it.each([
    ['I was seen by 4 doctors and none of them listened'],
    ['My appointment was cancelled by the hospital on the day'],
    ['Waiting times rose by 10.25% last year according to your board papers'],
    ['By the way, the car park was full again'],
    ['The deadline for the consultation has passed, hasn\'t it?'],
    ['Could someone from the press team DM me about the ward closures?'],
    [''],
  ])('finds none in %j', (text) => {
    expect(statedDeadline(text)).toBeUndefined();
  });

  it('keeps the phrase short and on one line', () => {
    const phrase = statedDeadline(`deadline is\n5pm\nFriday ${'x'.repeat(500)}`);
    expect(phrase).toBe('deadline is 5pm Friday');
  });
});

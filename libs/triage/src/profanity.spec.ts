import { describe, expect, it } from '@jest/globals';
import { findSwearing, readMasked } from './profanity.js';

const words = (text: string) => findSwearing(text).map((s) => `${s.text}=${s.as}`);

describe('swearing, plain and obscured', () => {
  it('reads masked and look-alike spellings as the word they hide', () => {
    expect(words('f*ck off')).toEqual(['f*ck=fuck']);
    expect(words('what a sh1t hospital')).toEqual(['sh1t=shit']);
    expect(words('you b*stards')).toEqual(['b*stards=bastards']);
    expect(words('f***ing useless')).toEqual(['f***ing=fucking']);
    expect(words('a bunch of c**ts')).toEqual(['c**ts=cunts']);
    expect(words('lazy overpaid a***holes')).toEqual(['a***holes=arseholes']);
    expect(words('pr!cks the lot of you')).toEqual(['pr!cks=pricks']);
    expect(words('s**t show')).toEqual(['s**t=shit']);
    expect(words('a thick tw@t')).toEqual(['tw@t=twat']);
    expect(words('b@stards')).toEqual(['b@stards=bastards']);
  });

  it('finds plain swearing, spaced-out letters and "eff off"', () => {
    expect(words('shit hospital shit staff')).toEqual(['shit=shit', 'shit=shit']);
    expect(words('f u c k this place')).toEqual(['f u c k=fuck']);
    expect(words('go f yourselves')).toEqual(['go f yourselves=fuck']);
  });

  it('grades mild words and slurs', () => {
    expect(findSwearing('bloody car park').map((s) => s.strength)).toEqual(['mild']);
    expect(findSwearing('p*ki doctors').map((s) => s.strength)).toEqual(['slur']);
  });

  it('leaves place names, medical words and ordinary words alone', () => {
    for (const clean of [
      'Scunthorpe General Hospital',
      'cockle pickers from Penistone',
      'a falls risk assessment was not completed',
      'Dickens ward',
      'the analysis of your bloods',
      'a skin prick test for allergies',
      'shiitake mushrooms in the canteen',
      'Middlesex and Essex',
      'my 3rd appointment at 10am, covid19 booster',
      'email me at s.hitchin@example.com or @Shitterton_News',
      'therapist',
      'cocktail',
      'Twatt and Bitchfield',
    ]) {
      expect(words(clean)).toEqual([]);
    }
  });

  it('matches a masked word only against listed words of the same length', () => {
    expect(readMasked('f**k')).toBe('fuck');
    expect(readMasked('h*ll')).toBeUndefined();
    expect(readMasked('*****')).toBeUndefined();
    expect(readMasked('hello')).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import { guessLanguage } from './language.js';
import { literalPrefixes, lowerSource, negatedAt } from './rules.js';
import { prepare } from './text.js';

describe('gating words read from an expression', () => {
  it('takes the least common required word of each branch', () => {
    expect(literalPrefixes(/\bkill(?:ing)? myself\b/.source)).toEqual(['=myself']);
    expect(literalPrefixes(/\b(?:over|under)dose\b/.source)?.sort()).toEqual(['over', 'under']);
    expect(literalPrefixes(/\bnot breathing\b|\bcollapsed\b/.source)?.sort()).toEqual(['=breathing', '=collapsed']);
  });

  it('treats a word that may continue as a word beginning', () => {
    expect(literalPrefixes(/\bsuicid(?:al|e)\b/.source)).toEqual(['suicid']);
    expect(literalPrefixes(/\bpains?\b/.source)).toEqual(['pain']);
    expect(literalPrefixes(/\bre-?arrang(?:e|ed)\b/.source)?.sort()).toEqual(['arrang', 'rearrang']);
  });

  it('gives up (always run) when a branch has no word of its own', () => {
    expect(literalPrefixes(/\b999\b/.source)).toBeNull();
    expect(literalPrefixes(/£\d|\bpaid\b/.source)).toBeNull();
    expect(literalPrefixes(/\w+ly\b/.source)).toBeNull();
  });

  it('ignores words in lookarounds and optional parts when choosing', () => {
    expect(literalPrefixes(/\b(?:the )?takeover\b(?! night)/.source)).toEqual(['=takeover']);
  });

  it('lower-cases literal letters but not escapes', () => {
    expect(lowerSource(String.raw`\bHELP\b[A-Z]\p{Lu}\W`)).toBe(String.raw`\bhelp\b[a-z]\p{Lu}\W`);
  });
});

describe('negation scope', () => {
  it('reaches back within the clause only', () => {
    const t = "I'm not suicidal, but I want to die";
    expect(negatedAt(t, t.indexOf('suicidal'))).toBe(true);
    expect(negatedAt(t, t.indexOf('want to die'))).toBe(false);
    const u = "I'm not sure if he is suicidal";
    expect(negatedAt(u, u.indexOf('suicidal'))).toBe(false);
    const v = 'he is not making sense and now he won\'t wake up';
    expect(negatedAt(v, v.indexOf("won't"))).toBe(false);
  });
});

describe('language guess', () => {
  const english = (t: string) => {
    const p = prepare(undefined, t);
    return guessLanguage(p.text, p.tokens).english;
  };
  it('tells English from the community languages', () => {
    expect(english('Is there parking near the main entrance?')).toBe(true);
    expect(english('Salam, my dad is fasting and on insulin, should he change his dose?')).toBe(true);
    expect(english('Dzień dobry, chciałbym odwołać wizytę w poradni')).toBe(false);
    expect(english('Hola, estoy embarazada de 12 semanas y tengo un poco de sangrado')).toBe(false);
    expect(english('Helo, oes modd newid fy apwyntiad yn y clinig?')).toBe(false);
    expect(english('Meri ammi ko saans nahi aa rahi, koi madad karo')).toBe(false);
    expect(english('شکریہ ریور سائیڈ ہسپتال کے عملے کا')).toBe(false);
  });
});

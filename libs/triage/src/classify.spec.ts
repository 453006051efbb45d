import { describe, expect, it } from '@jest/globals';
import type { Channel } from '@desk/domain';
import { classify } from './classify.js';
import { findFigures } from './figures.js';
import type { TriageDecision } from './types.js';

const run = (text: string, channel: Channel = 'x', extra: { author?: string; subject?: string; history?: string[] } = {}): TriageDecision =>
  classify({ channel, author: extra.author ?? '@someone', subject: extra.subject, text, history: extra.history });
const route = (text: string, channel: Channel = 'x', extra: { author?: string; subject?: string; history?: string[] } = {}) => run(text, channel, extra).route;
const evidence = (d: TriageDecision, signal: string) => d.reasons.filter((r) => r.signal === signal || r.signal.startsWith(`${signal}.`)).flatMap((r) => r.evidence);

describe('negation', () => {
  it('does not raise an alarm for a denied risk', () => {
    expect(route("I'm not suicidal or anything, just low since my diagnosis. Is there a support group?")).toBe('general');
    expect(route('no emergency, just wondering if the minor injuries unit has x-ray on Sundays?')).toBe('general');
    expect(route("I would never hurt myself, but I'm struggling to get through to the mental health team")).not.toBe('urgent_safety');
  });

  it('says which words were negated', () => {
    const d = run("I'm not suicidal, just fed up. Third appointment cancelled. Third!");
    expect(d.reasons.some((r) => r.signal === 'negated:urgent.suicidal' && r.evidence[0] === 'not suicidal')).toBe(true);
    expect(d.route).toBe('complaint');
  });

  it('still hears the risk when a hedge is not a denial', () => {
    expect(route("I'm not sure if my brother is suicidal, he keeps saying he wants to die")).toBe('urgent_safety');
    expect(route("she's not breathing, please help")).toBe('urgent_safety');
    expect(route("I don't want to be alive any more")).toBe('urgent_safety');
  });
});

describe('figures of speech', () => {
  it('are not urgent', () => {
    expect(route('This wait is killing me 😩 2 hours past my appointment time')).toBe('complaint');
    expect(route('dying for a coffee after a night shift, is the costa open at 7?')).toBe('general');
    expect(route('my feet are killing me after walking round your corridors, we need proper signs please')).toBe('complaint');
    expect(route('I nearly died laughing at the panto on the children\'s ward, brilliant effort all round')).toBe('praise');
    expect(route('I could murder a bacon sandwich, is the canteen open to visitors?')).toBe('general');
    expect(route('Thought I was going to die when I had my heart attack, but the cardiac team were phenomenal')).toBe('praise');
  });

  it('are reported with their words, and a grievance in one counts as a complaint sign', () => {
    const d = run('This car park is killing me. 45 mins queuing to get in.');
    expect(evidence(d, 'figure_of_speech')).toContain('This car park is killing me');
    expect(d.route).toBe('complaint');
  });

  it('do not hide a real threat or danger', () => {
    expect(findFigures('my husband is killing me slowly, he hits me').figures).toEqual([]);
    expect(route('my boyfriend hits me and says he will kill me if I tell anyone')).toBe('urgent_safety');
  });
});

describe('precedence (TRIAGE.md)', () => {
  it('urgent inside abuse is urgent', () => {
    expect(route("you lot are f***ing useless. discharged my missus 3 hrs ago and now she's on the bathroom floor and she won't wake up")).toBe('urgent_safety');
  });

  it('a journalist asking about a clinical incident is media', () => {
    const d = run(
      "Hi, I'm a reporter at the Calder Post. We understand a patient was given the wrong dose of insulin on ward 4 and died. Can the trust confirm and give a statement? Deadline 4pm.",
      'x_dm',
    );
    expect(d.route).toBe('media');
  });

  it('a complaint containing a clinical question is a complaint', () => {
    expect(route('My dad was given his insulin twice on Ward 7. Nobody has explained how. Why was he given the wrong dose and will it have done him harm?', 'facebook')).toBe('complaint');
    expect(route('My son was given penicillin even though his allergy is on his wristband. Why did this happen and should we be worried about side effects?')).toBe('complaint');
  });

  it('spam with a complaint in it is a complaint, not hidden', () => {
    expect(route('Full story of how the hospital failed my dad here 👉 tinyurl.com/dadstory - still waiting for an apology 6 months on')).toBe('complaint');
    expect(route('Buy 5,000 followers for £9.99 💯 instant delivery 👉 bit.ly/fastfolls')).toBe('spam');
  });

  it('deflects only when a template truly answers', () => {
    expect(route('Is it ok to take ibuprofen with co-codamol after my knee op?')).toBe('clinical');
    expect(route('Can I move my MRI from Tuesday to Thursday? Working away')).toBe('appointment');
    // a clinical question with a grievance goes to a person
    expect(route('Been ringing the fracture clinic for three days, nobody answers. And is my cast supposed to be this tight??')).toBe('complaint');
    // a grievance about an appointment is a complaint
    expect(route('Cancelled my op the night before AGAIN. Not good enough')).toBe('complaint');
  });
});

describe('messages not in English', () => {
  it('go to a person: never deflected and never hidden as spam', () => {
    const person = ['general', 'complaint', 'media', 'story', 'praise', 'abuse'];
    expect(route('Bună ziua, copilul meu are tuse de o săptămână. Trebuie să merg la medic?', 'facebook')).toBe('general');
    expect(route('Dzień dobry, chciałbym odwołać wizytę w poradni w piątek. Jak mogę to zrobić?', 'x_dm')).toBe('general');
    expect(route('أريد إلغاء موعدي في عيادة العيون يوم الإثنين. شكرا', 'facebook')).toBe('general');
    expect(person).toContain(route('Olá! Você quer ganhar dinheiro em casa com bitcoin? Temos uma oferta especial para você, clique no link e compre seguidores agora', 'instagram'));
    const d = run('Diolch yn fawr i staff ward Dyfi am ofalu am Mam. Gwych!', 'facebook');
    expect(person).toContain(d.route);
    expect(d.reasons.some((r) => r.signal.startsWith('not_english'))).toBe(true);
  });

  it('all go to the general queue when asked', () => {
    expect(classify({ channel: 'facebook', author: '@a', text: 'Diolch yn fawr i staff ward Dyfi am ofalu am Mam. Gwych!' }, { nonEnglish: 'general' }).route).toBe('general');
  });

  it('unless an urgent signal fires', () => {
    expect(route('Pomocy, mój tata ma bardzo silny ból w klatce piersiowej i nie może mówić', 'x_dm')).toBe('urgent_safety');
    expect(route('Meri ammi ko saans nahi aa rahi aur ambulance abhi tak nahi aayi', 'facebook')).toBe('urgent_safety');
    expect(route('Mi madre se ha desmayado y no respira bien. ¡Ayuda!', 'facebook')).toBe('urgent_safety');
    expect(route('O meu filho disse que se quer matar.', 'x_dm')).toBe('urgent_safety');
    expect(route('Ajutor! Soțul meu nu mai respiră.', 'facebook')).toBe('urgent_safety');
    expect(route("Mae fy mab yn siarad am ladd ei hun.", 'facebook')).toBe('urgent_safety');
    expect(route('زوجي لا يتنفس، أرسلوا إسعاف', 'x')).toBe('urgent_safety');
  });

  it('a greeting in another language does not make an English message foreign', () => {
    expect(route("Salam, is it ok for my mum to fast during Ramadan while she's on her chemo tablets?", 'facebook')).toBe('clinical');
  });
});

describe('reasons', () => {
  it('name the words that fired', () => {
    const d = run("honestly whats the point anymore. took everything in the cupboard about an hour ago", 'instagram');
    expect(d.route).toBe('urgent_safety');
    expect(d.reasons[0]!.route).toBe('urgent_safety');
    expect(evidence(d, 'urgent.whats_the_point')).toEqual(['whats the point anymore']);
    expect(evidence(d, 'urgent.took_pills')).toEqual(['took everything in the cupboard']);
  });

  it('quote the message as written, and name the pii found', () => {
    const d = run('Can you check if my mum has an eye clinic appointment? Patricia Holloway, DOB 14/03/1948.', 'instagram');
    expect(d.route).toBe('appointment');
    expect(d.flags).toEqual(['pii']);
    expect(d.reasons.find((r) => r.signal === 'pii.date_of_birth')).toEqual({ signal: 'pii.date_of_birth', flag: 'pii', evidence: ['DOB 14/03/1948'] });
    expect(evidence(d, 'appointment.ask.have_i_got')).toEqual(['if my mum has an eye clinic appointment']);
  });

  it('show the swear word as it was written', () => {
    const d = run('answer your f***ing phones you absolute clowns');
    expect(d.route).toBe('abuse');
    expect(evidence(d, 'abuse.swearing')).toEqual(['f***ing']);
  });

  it('show why a deflection was withheld', () => {
    const d = run('Still no reply from the clinic after 3 weeks, disgraceful. Should I keep taking the tablets?');
    expect(d.route).toBe('complaint');
  });
});

describe('email senders', () => {
  it('a press domain or a reporter signature makes an email media', () => {
    expect(route('Hi,\n\nCould you tell me the number of beds at the hospital?\n\nThanks', 'email', { author: 'j.smith@bbc.co.uk', subject: 'Beds' })).toBe('media');
    expect(route('Hi,\n\nCould you send me the figures for last year?\n\nThanks,\nJo Bloggs\nHealth Correspondent, Calder Post', 'email', { author: 'jo.bloggs@gmail.com', subject: 'Figures' })).toBe('media');
  });

  it('a personal address with a broadband name is not press', () => {
    expect(route('Hello,\n\nI was turned away at visiting time even though I arrived well within visiting hours. I would appreciate an explanation.\n\nDerek', 'email', { author: 'derek@sky.com', subject: 'Visiting' })).toBe('complaint');
  });
});

describe('history', () => {
  it('a bare follow-up keeps the route of an earlier complaint', () => {
    const d = run('any update??', 'x', { history: ['3rd time my dad\'s op has been cancelled on the day. Not good enough.'] });
    expect(d.route).toBe('complaint');
    expect(d.reasons[0]!.signal).toBe('history.follow_up');
  });

  it('never overrides what the message itself says', () => {
    expect(route('Thank you so much to the ward 4 team, brilliant care', 'x', { history: ['Disgraceful wait, not good enough'] })).toBe('praise');
    expect(route('any update?', 'x', { history: ['Can I move my MRI to Thursday?'] })).toBe('general');
  });
});

describe('the decision', () => {
  it('has a confidence in [0, 1] and is the same every time', () => {
    for (const text of ['hello', 'Is there parking?', "I'm going to kill myself tonight", 'f*ck you']) {
      const a = run(text);
      expect(a.confidence).toBeGreaterThanOrEqual(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
      expect(run(text)).toEqual(a);
    }
  });

  it('copes with empty and odd input', () => {
    expect(route('')).toBe('general');
    expect(route('   \n\t ')).toBe('general');
    expect(route('🙂🙂🙂')).toBe('general');
    expect(route('x'.repeat(20000))).toBe('general');
  });
});

import { automaticActions, ROUTE_PRIORITY } from './actions.js';
import { renderTemplate, templateFor, type Templates } from './templates.js';
import { xLength } from './x-length.js';

const kinds = (...args: Parameters<typeof automaticActions>) => automaticActions(...args).map((a) => `${a.kind}:${a.channel}:${a.template ?? ''}`);

describe('automaticActions (TRIAGE.md)', () => {
  it('signposts an emergency on the sender’s own channel and alerts the on-duty officer', () => {
    expect(kinds('urgent_safety', [], 'x')).toEqual(['reply:x:emergency', 'alert:email:']);
    expect(kinds('urgent_safety', [], 'x_dm')).toEqual(['direct_message:x_dm:emergency', 'alert:email:']);
    expect(kinds('urgent_safety', [], 'email')).toEqual(['email:email:emergency', 'alert:email:']);
  });

  it('deflects clinical and appointment questions with their templates', () => {
    expect(kinds('clinical', [], 'facebook')).toEqual(['reply:facebook:clinical']);
    expect(kinds('appointment', [], 'instagram')).toEqual(['reply:instagram:appointment']);
  });

  it('forwards media enquiries to the press office and acknowledges the sender', () => {
    expect(kinds('media', [], 'email')).toEqual(['press_forward:email:', 'email:email:press_ack']);
  });

  it('hides abuse, spam and personal data only where the channel allows', () => {
    expect(kinds('abuse', [], 'facebook')).toEqual(['hide:facebook:']);
    expect(kinds('spam', [], 'x')).toEqual(['hide:x:']);
    expect(kinds('general', ['pii'], 'instagram')).toEqual(['hide:instagram:']);
    expect(kinds('abuse', [], 'x_dm')).toEqual([]);
    expect(kinds('general', ['pii'], 'email')).toEqual([]);
  });

  it('does nothing automatic for the human routes', () => {
    for (const route of ['complaint', 'story', 'praise', 'general'] as const) expect(kinds(route, [], 'x')).toEqual([]);
  });

  it('puts urgent first and praise after the other human routes', () => {
    expect(ROUTE_PRIORITY.urgent_safety).toBeLessThan(ROUTE_PRIORITY.complaint);
    expect(ROUTE_PRIORITY.complaint).toBeLessThan(ROUTE_PRIORITY.general);
    expect(ROUTE_PRIORITY.general).toBeLessThan(ROUTE_PRIORITY.praise);
  });
});

describe('templates', () => {
  const templates = { clinical: { default: 'Call {appointments_phone}.', x: 'Short {trust_name}.' } } as unknown as Templates;

  it('picks the channel’s variant, else the default', () => {
    expect(templateFor(templates, 'clinical', 'x')).toBe('Short {trust_name}.');
    expect(templateFor(templates, 'clinical', 'email')).toBe('Call {appointments_phone}.');
  });

  it('fills placeholders and refuses a missing value rather than sending a hole', () => {
    expect(renderTemplate('Call {appointments_phone}.', { appointments_phone: '0300 123 4567' })).toBe('Call 0300 123 4567.');
    expect(() => renderTemplate('Email {press_office_email}', { press_office_email: '' })).toThrow(/press_office_email/);
  });

  it('counts characters as X does: an emoji 2, a link 23, CJK 2', () => {
    expect(xLength('é😀a')).toBe(4);
    expect(xLength('See https://www.nhs.uk/conditions/ for more')).toBe(4 + 23 + 9);
    expect(xLength('病院')).toBe(4);
  });
});

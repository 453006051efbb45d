import { isMessageId, MAX_REFERENCES, outboundMessageId, replyReferences } from './message-id.js';

describe('outboundMessageId', () => {
  it('is the same for the same outbound row, so a resend carries the same id', () => {
    const id = outboundMessageId('3f2b8c1e-6d0a-4a5e-9f7b-2c1d0e9a8b7c', 'Trust.NHS.uk');
    expect(id).toBe('<3f2b8c1e-6d0a-4a5e-9f7b-2c1d0e9a8b7c@trust.nhs.uk>');
    expect(outboundMessageId('3f2b8c1e-6d0a-4a5e-9f7b-2c1d0e9a8b7c', 'trust.nhs.uk')).toBe(id);
    expect(isMessageId(id)).toBe(true);
  });

  it.each([['a b'], ['<x>'], ['x@y'], [''], ['a'.repeat(200)]])('refuses the outbound id %j', (outboundId) => {
    expect(() => outboundMessageId(outboundId, 'trust.nhs.uk')).toThrow(/outbound id/);
  });

  it.each([['trust nhs.uk'], ['trust.nhs.uk>'], [''], ['-trust.uk']])('refuses the domain %j', (domain) => {
    expect(() => outboundMessageId('42', domain)).toThrow(/domain/);
  });
});

describe('replyReferences', () => {
  it('is the original\'s References followed by the original', () => {
    expect(replyReferences('<c@x>', ['<a@x>', '<b@x>'])).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(replyReferences('<c@x>')).toEqual(['<c@x>']);
  });

  it('drops repeats, invalid ids and ids ingest made up for mail without one', () => {
    expect(replyReferences('<c@x>', ['<a@x>', 'bare@x', '<a@x>', '<c@x>', '<sha256.ab@no-message-id.invalid>', '<b@x>'])).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(replyReferences('<sha256.ab@no-message-id.invalid>', ['<a@x>'])).toEqual(['<a@x>']);
  });

  it(`keeps the first and the latest ids when the chain is longer than ${MAX_REFERENCES}`, () => {
    const chain = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const refs = replyReferences('<last@x>', chain);
    expect(refs).toHaveLength(MAX_REFERENCES);
    expect(refs[0]).toBe('<m0@x>');
    expect(refs[1]).toBe('<m12@x>');
    expect(refs.at(-2)).toBe('<m29@x>');
    expect(refs.at(-1)).toBe('<last@x>');
  });
});

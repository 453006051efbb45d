import { escapeHtml, factsHtml, linkHtml, quoteText, textToHtml } from './mail-html.js';

describe('mail HTML', () => {
  it('escapes every markup character', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('makes paragraphs at blank lines and <br> at single newlines', () => {
    expect(textToHtml('Dear Jane,\r\n\r\nThank you.\nWe will call.\n\n\n\nBest')).toBe('<p>Dear Jane,</p>\n<p>Thank you.<br>\nWe will call.</p>\n<p>Best</p>');
    expect(textToHtml('<b>bold</b>\n<img src=x onerror=alert(1)>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt;<br>\n&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  it('links only https addresses', () => {
    expect(linkHtml('https://x.com/a/status/1')).toBe('<a href="https://x.com/a/status/1">https://x.com/a/status/1</a>');
    expect(linkHtml('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(linkHtml('https://x.com/"onmouseover="alert(1)')).toBe('https://x.com/&quot;onmouseover=&quot;alert(1)');
  });

  it('escapes fact values but not their given HTML', () => {
    const html = factsHtml([{ label: 'From', value: '<Jane>' }, { label: 'Link', value: 'x', html: '<a href="y">y</a>' }, { label: 'Skipped' }]);
    expect(html).toContain('<td style="padding:2px 0">&lt;Jane&gt;</td>');
    expect(html).toContain('<a href="y">y</a>');
    expect(html).not.toContain('Skipped');
  });

  it('quotes each line of the plain text', () => {
    expect(quoteText('one\n\ntwo')).toBe('> one\n>\n> two');
  });
});

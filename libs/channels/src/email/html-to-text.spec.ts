import { decodeEntities, htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it('keeps the words and paragraphs, not the markup', () => {
    expect(htmlToText('<html><head><title>T</title></head><body><h1>Hello</h1><p>First <b>bold</b> line.</p><p>Second&nbsp;line</p><ul><li>one</li><li>two</li></ul></body></html>')).toBe(
      'T\n\nHello\n\nFirst bold line.\n\nSecond line\n\n• one\n• two',
    );
  });

  it('drops scripts, styles and embedded documents with their content', () => {
    const text = htmlToText('<p>a</p><script type="text/javascript">alert("x")</script><style>.c{color:red}</style><noscript>ns</noscript><iframe src="x">frame</iframe><svg><text>vector</text></svg><p>b</p>');
    expect(text).toBe('a\n\nb');
  });

  it('drops everything after a script that is never closed', () => {
    expect(htmlToText('<p>visible</p><script>document.write("<p>hidden</p>")')).toBe('visible');
  });

  it('is not fooled by ">" in attributes or by comments', () => {
    expect(htmlToText('<a title="a > b" href="https://nhs.example/x">link</a><!-- <script>x</script> --> after')).toBe('link (https://nhs.example/x) after');
  });

  it('shows where a link goes unless the text already says it', () => {
    expect(htmlToText('<a href="https://nhs.example">https://nhs.example</a> and <a href="javascript:evil()">click</a>')).toBe('https://nhs.example and click');
  });

  it('keeps a lone "<" as text', () => {
    expect(htmlToText('<p>3 < 5 and 7 > 2</p>')).toBe('3 < 5 and 7 > 2');
  });

  it('decodes character references, and leaves unknown ones as written', () => {
    expect(decodeEntities('&lt;b&gt; &amp;amp; &#163;5 &#x20AC;3 &pound; &unknown; &#0;')).toBe('<b> &amp; £5 €3 £ &unknown; \uFFFD');
  });

  it('strips control and bidi-override characters', () => {
    expect(htmlToText('<p>safe\u202Egnp.exe\u0007</p>')).toBe('safegnp.exe');
  });

  it('reads hostile HTML in time linear in its size', () => {
    const hostile = '<div '.repeat(100_000) + '<<<<' .repeat(100_000) + '<a href="'.repeat(10_000);
    const started = Date.now();
    htmlToText(hostile);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

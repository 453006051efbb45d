import { renderTemplate, templateFor, X_MAX_CHARACTERS, xLength, type Templates } from '@desk/domain';
import { DEFAULT_TEMPLATES, DEFAULT_TRUST } from './1763900000000-triage.js';

describe('the seeded templates', () => {
  const templates = DEFAULT_TEMPLATES as Templates;

  it.each(Object.keys(DEFAULT_TEMPLATES))('%s renders with the default trust contacts and fits a tweet on X', (key) => {
    const x = renderTemplate(templateFor(templates, key as keyof Templates, 'x'), DEFAULT_TRUST);
    expect(xLength(x)).toBeLessThanOrEqual(X_MAX_CHARACTERS);
    expect(renderTemplate(templateFor(templates, key as keyof Templates, 'email'), DEFAULT_TRUST)).not.toMatch(/[{}]/);
  });

  it('signposts 999, NHS 111 and Samaritans in an emergency', () => {
    for (const channel of ['x', 'email'] as const) {
      const text = templateFor(templates, 'emergency', channel);
      expect(text).toContain('999');
      expect(text).toContain('111');
      expect(text).toContain('116 123');
    }
  });
});

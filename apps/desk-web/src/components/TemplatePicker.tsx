import { useState } from 'react';
import type { TemplateView } from '@desk/domain';
import { useTemplates } from '../session.ts';

const SHOWN = 8;

function matches(template: TemplateView, words: string[]): boolean {
  const haystack = `${template.title} ${template.key} ${template.body}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** Find a template by any word of its title or text, and put it in the reply box. */
export function TemplatePicker({ onInsert }: { onInsert: (body: string, key: string) => void }) {
  const { templates, error } = useTemplates();
  const [query, setQuery] = useState('');
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = (templates ?? []).filter((t) => matches(t, words));

  return (
    <div className="template-picker">
      <div className="field">
        <label htmlFor="template-search">Find a template</label>
        <input id="template-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. parking, complaint" data-testid="template-search" aria-controls="template-results" />
      </div>
      {error && <p className="error-text">Templates could not be loaded: {error}</p>}
      {templates && (
        <ul id="template-results" className="template-list" aria-label="Templates">
          {found.slice(0, SHOWN).map((t) => (
            <li key={t.key}>
              <button type="button" className="button button-small" onClick={() => onInsert(t.body, t.key)} data-testid="template-option" data-template-key={t.key}>
                Use “{t.title}”
              </button>
              <span className="template-preview muted">{t.body.length > 90 ? `${t.body.slice(0, 89)}…` : t.body}</span>
            </li>
          ))}
          {found.length === 0 && <li className="muted">No template matches “{query}”.</li>}
          {found.length > SHOWN && <li className="muted">{found.length - SHOWN} more: type to narrow down.</li>}
        </ul>
      )}
    </div>
  );
}

import { useState, type FormEvent, type RefObject } from 'react';
import { api } from '../api/client.ts';
import { useAction } from '../hooks.ts';

/** Internal notes: seen by the team, never sent to the public. */
export function NoteBox({ conversationId, textareaRef, onAdded }: { conversationId: string; textareaRef: RefObject<HTMLTextAreaElement | null>; onAdded: () => void }) {
  const [text, setText] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    if (await action.run(() => api.note(conversationId, text.trim()), 'Note added.')) {
      setText('');
      onAdded();
    }
  };
  return (
    <section className="panel" aria-labelledby="note-heading">
      <h2 id="note-heading">Internal note</h2>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="note-text">Note for the team (not sent to the public)</label>
          <textarea id="note-text" ref={textareaRef} rows={2} value={text} onChange={(e) => setText(e.target.value)} data-testid="note-text" />
        </div>
        <div>
          <button type="submit" className="button" disabled={action.busy || !text.trim()} data-testid="note-add">
            Add note
          </button>
          {action.error && <span className="error-text"> {action.error}</span>}
        </div>
      </form>
    </section>
  );
}

import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { placeholdersIn, signedReplyText, xLength, type ConversationView, type ReplyConflict, type ReplyRequest } from '@desk/domain';
import { api, ApiFailure, describeError, isReplyConflict } from '../api/client.ts';
import { useAnnounce } from '../announcer.tsx';
import { useSession } from '../session.ts';
import { OutboundStatusBadge } from './Badges.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { TemplatePicker } from './TemplatePicker.tsx';

/** `{name}`-style gaps a template leaves for the officer: the pattern of the domain's placeholdersIn. */
const PLACEHOLDER = /\{[a-z_]+\}/g;

/** The gaps still in a draft, as written (`{name}`), in order, once each. */
function gapsIn(text: string): string[] {
  return placeholdersIn(text).map((name) => `{${name}}`);
}

/** Drafts survive j/k to another conversation and back, and a reload, but not the browser closing. */
const drafts = {
  key: (id: string) => `desk:draft:${id}`,
  read(id: string): string {
    try {
      return window.sessionStorage.getItem(drafts.key(id)) ?? '';
    } catch {
      return '';
    }
  },
  write(id: string, text: string): void {
    try {
      if (text) window.sessionStorage.setItem(drafts.key(id), text);
      else window.sessionStorage.removeItem(drafts.key(id));
    } catch {
      // Storage may be off (private browsing); the draft then lives only while the page is open.
    }
  },
};

interface ComposerProps {
  view: ConversationView;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** Reload the conversation (after a send, or to see what a conflict was about). */
  onChanged: () => void;
}

export function Composer({ view, textareaRef, onChanged }: ComposerProps) {
  const { session } = useSession();
  const announce = useAnnounce();
  const options = view.reply;
  const canReply = options.public || options.private;
  const [text, setText] = useState(() => drafts.read(view.id));
  const [template, setTemplate] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<'public' | 'private'>(options.public ? 'public' : 'private');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ conflict: ReplyConflict; request: ReplyRequest } | null>(null);
  const [sentId, setSentId] = useState<string | null>(null);
  const ids = { counter: useId(), signature: useId(), placeholders: useId(), error: useId(), visibility: useId() };

  useEffect(() => drafts.write(view.id, text), [view.id, text]);

  // The server may narrow what is allowed (e.g. the item was removed): follow it.
  useEffect(() => {
    if (visibility === 'public' && !options.public && options.private) setVisibility('private');
    if (visibility === 'private' && !options.private && options.public) setVisibility('public');
  }, [options.public, options.private, visibility]);

  // The box grows with its text, so the highlight layer behind it never has to scroll.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }, [text, textareaRef]);

  const { initials, name } = session.user;
  // The server signs social replies with the same function, and X counts what is posted: count the signed text.
  const length = options.maxLength === null ? null : xLength(signedReplyText(text, initials, view.channel));
  const over = length !== null && options.maxLength !== null && length > options.maxLength;
  const gaps = gapsIn(text);

  const wasOver = useRef(false);
  useEffect(() => {
    if (over && !wasOver.current && length !== null && options.maxLength !== null) announce(`Over the ${options.maxLength} character limit by ${length - options.maxLength}.`);
    wasOver.current = over;
  }, [over, length, options.maxLength, announce]);

  const sent = sentId ? view.timeline.find((e) => e.type === 'outbound' && e.id === sentId) : undefined;

  const blocked = !canReply || sending || text.trim() === '' || over || gaps.length > 0;

  const submit = async (request: ReplyRequest) => {
    setSending(true);
    setError(null);
    try {
      const { outboundId } = await api.reply(view.id, request);
      setSentId(outboundId);
      setText('');
      setTemplate(null);
      setConflict(null);
      announce('Reply queued. Its delivery status will show in the timeline.');
      onChanged();
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409 && isReplyConflict(e.body)) {
        setConflict({ conflict: e.body, request });
        announce(`Not sent: ${e.body.message}`);
      } else {
        const message = describeError(e);
        setError(message);
        announce(`Not sent: ${message}`);
      }
    } finally {
      setSending(false);
    }
  };

  const send = () => {
    if (blocked) return;
    const request: ReplyRequest = { text: text.trim(), visibility, basedOn: view.version };
    if (options.itemId) request.itemId = options.itemId;
    if (template) request.template = template;
    void submit(request);
  };

  const insertTemplate = (body: string, key: string) => {
    setText(body);
    setTemplate(key);
    const gapsInBody = gapsIn(body);
    announce(gapsInBody.length ? `Template inserted. Fill in ${gapsInBody.join(', ')}.` : 'Template inserted.');
    window.requestAnimationFrame(() => selectPlaceholder(body, gapsInBody[0]));
  };

  /** Selects a placeholder in the box, so typing replaces it. */
  const selectPlaceholder = (current: string, placeholder: string | undefined) => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.focus();
    if (!placeholder) return;
    const start = current.indexOf(placeholder);
    if (start >= 0) textarea.setSelectionRange(start, start + placeholder.length);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };

  const describedBy = [ids.signature, length !== null ? ids.counter : null, gaps.length ? ids.placeholders : null, error ? ids.error : null].filter(Boolean).join(' ');

  return (
    <section className="panel composer" aria-labelledby="composer-heading">
      <h2 id="composer-heading">Reply</h2>
      {!canReply ? (
        <p className="muted">Replies cannot be sent on this conversation.</p>
      ) : (
        <>
          <TemplatePicker onInsert={insertTemplate} />

          {options.public && options.private ? (
            <fieldset className="visibility">
              <legend>Send as</legend>
              <label>
                <input type="radio" name={ids.visibility} value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} data-testid="composer-public" /> Public reply
              </label>
              <label>
                <input type="radio" name={ids.visibility} value="private" checked={visibility === 'private'} onChange={() => setVisibility('private')} data-testid="composer-private" /> Private message
              </label>
            </fieldset>
          ) : (
            <p className="muted">{options.public ? 'This reply will be public.' : 'This reply will be private.'}</p>
          )}

          <div className="field">
            <label htmlFor="composer-text">Your reply</label>
            <div className="composer-field">
              <div className="composer-backdrop" aria-hidden="true">
                <Highlighted text={text} />
              </div>
              <textarea
                id="composer-text"
                ref={textareaRef}
                className="composer-textarea"
                rows={4}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setError(null);
                }}
                onKeyDown={onKeyDown}
                aria-describedby={describedBy || undefined}
                aria-invalid={over || undefined}
                data-testid="composer-text"
              />
            </div>
          </div>

          <div className="composer-meta">
            <p id={ids.signature} className="signature" data-testid="composer-signature">
              {view.channel === 'email' ? (
                <>
                  The email is signed{' '}
                  <span className="signature-text">
                    {name} – {initials}
                  </span>
                </>
              ) : (
                <>
                  Signed <span className="signature-text">– {initials}</span>
                </>
              )}
            </p>
            {length !== null && options.maxLength !== null && (
              <p id={ids.counter} className={over ? 'counter counter-over' : 'counter'} data-testid="composer-counter" data-over={over ? 'true' : 'false'}>
                {over && <span aria-hidden="true">✕ </span>}
                {length} / {options.maxLength}
                {over ? `, ${length - options.maxLength} over the limit` : ''} <span className="muted">(with signature)</span>
              </p>
            )}
          </div>

          {gaps.length > 0 && (
            <div id={ids.placeholders} className="placeholders">
              <span>Fill in before sending: </span>
              {gaps.map((gap) => (
                <button key={gap} type="button" className="button button-small placeholder-chip" onClick={() => selectPlaceholder(text, gap)}>
                  {gap}
                </button>
              ))}
            </div>
          )}

          {error && (
            <p id={ids.error} className="error-text" role="alert">
              {error}
            </p>
          )}

          <div className="composer-actions">
            <button type="button" className="button button-primary" onClick={send} disabled={blocked} data-testid="composer-send">
              {sending ? 'Sending…' : visibility === 'public' && options.public ? 'Send public reply' : 'Send private reply'}
            </button>
            {sentId && (
              <p className="composer-status" data-testid="composer-status">
                Your last reply: {sent && sent.type === 'outbound' ? <OutboundStatusBadge status={sent.status} /> : <OutboundStatusBadge status="pending" />}
              </p>
            )}
          </div>
        </>
      )}

      {conflict && (
        <ConflictDialog
          conflict={conflict.conflict}
          sending={sending}
          onSendAnyway={() => void submit({ ...conflict.request, force: true })}
          onCancel={() => {
            setConflict(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

/** The draft with its placeholders marked, drawn behind the transparent-background textarea. */
function Highlighted({ text }: { text: string }) {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), mark: false });
    parts.push({ text: match[0], mark: true });
    last = match.index + match[0].length;
  }
  parts.push({ text: text.slice(last), mark: false });
  return (
    <>
      {parts.map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
      {/* A trailing newline needs a character after it to take up a line, as it does in the textarea. */}
      {'\u200b'}
    </>
  );
}

import { useEffect, useRef } from 'react';

/*
 * Single-key shortcuts for people who work the queue all day. One listener for the app; pages
 * register what their keys do. Keys never fire while someone is typing, and never on top of a
 * modal dialog (the dialog owns the keyboard then).
 */

export type ShortcutKey = 'j' | 'k' | 'Enter' | 'a' | 'r' | 'c' | 'n' | '/' | '?' | 'Escape';
export type ShortcutHandlers = Partial<Record<ShortcutKey, () => void>>;

/** What the help overlay lists, in the order it lists them. */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ['j'], does: 'Next conversation (in the queue, or the next one while a conversation is open)' },
  { keys: ['k'], does: 'Previous conversation' },
  { keys: ['Enter'], does: 'Open the selected conversation' },
  { keys: ['a'], does: 'Assign the conversation to me' },
  { keys: ['r'], does: 'Go to the reply box' },
  { keys: ['n'], does: 'Go to the note box' },
  { keys: ['c'], does: 'Close the conversation' },
  { keys: ['/'], does: 'Search the queue' },
  { keys: ['?'], does: 'Show or hide this list' },
  { keys: ['Esc'], does: 'Back to the queue, or close a dialog; in a text box, leave the box' },
];

interface Layer {
  priority: number;
  handlers: { current: ShortcutHandlers };
}

const layers = new Set<Layer>();

const TYPING_INPUT_TYPES = new Set(['text', 'search', 'email', 'password', 'number', 'tel', 'url', 'date', 'datetime-local', 'time', 'month', 'week']);

/** True when a key press here is someone typing, not a command. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // Checkboxes and radios do not take text, but a stray key next to one is still better ignored.
  return target instanceof HTMLInputElement && (TYPING_INPUT_TYPES.has(target.type) || target.type === 'checkbox' || target.type === 'radio');
}

/** Enter on a link, button or summary already does something; our Enter must not do it twice. */
function activatesOnEnter(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('a[href], button, summary, [role="button"], [role="link"]') !== null;
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.querySelector('dialog[open]')) return;
  const key = event.key as ShortcutKey;
  if (isTypingTarget(event.target)) {
    // Esc leaves the field (keeping its text) so the other shortcuts are one key away again.
    if (key === 'Escape' && event.target instanceof HTMLElement) event.target.blur();
    return;
  }
  if (key === 'Enter' && activatesOnEnter(event.target)) return;
  const ordered = [...layers].sort((a, b) => b.priority - a.priority);
  for (const layer of ordered) {
    const handler = layer.handlers.current[key];
    if (handler) {
      event.preventDefault();
      handler();
      return;
    }
  }
}

export function installKeyboard(): () => void {
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}

/**
 * Registers shortcuts while the component is mounted. Pages use the default priority; the app
 * shell registers below them, so a page's Esc wins over the shell's.
 */
export function useShortcuts(handlers: ShortcutHandlers, priority = 1): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const layer: Layer = { priority, handlers: current };
    layers.add(layer);
    return () => {
      layers.delete(layer);
    };
  }, [priority]);
}

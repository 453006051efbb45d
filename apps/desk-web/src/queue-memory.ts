/**
 * The queue as the officer last saw it, kept in memory so j/k can step through conversations in
 * the same order while one is open, and Esc can go back to the same page, filters and row.
 */
export const queueMemory = {
  /** Conversation ids in the order the queue showed them. */
  ids: [] as string[],
  /** The queue's path and query, to go back to. */
  href: '/',
  /** The row to select when the queue shows again. */
  selectedId: null as string | null,
  /** Set by `/` on a conversation: the queue focuses its search box when it next shows. */
  focusSearch: false,
};

/** The conversation `step` places from `id` in the remembered order, or null at either end. */
export function neighbour(id: string, step: 1 | -1): string | null {
  const index = queueMemory.ids.indexOf(id);
  if (index === -1) return null;
  return queueMemory.ids[index + step] ?? null;
}

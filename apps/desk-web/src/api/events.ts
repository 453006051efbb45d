import { useEffect, useRef } from 'react';
import type { DeskStreamEvent } from '@desk/domain';
import { api } from './client.ts';

/**
 * What pages hear: the server's events, plus `resync` after the stream was broken, because events
 * sent while it was down are lost and the page must fetch again to catch up.
 */
export type StreamMessage = DeskStreamEvent | { type: 'resync' };

type Listener = (message: StreamMessage) => void;

const EVENT_TYPES: ReadonlyArray<DeskStreamEvent['type']> = ['queue.changed', 'conversation.viewing', 'outbound.changed', 'press.changed'];

const listeners = new Set<Listener>();

function emit(message: StreamMessage): void {
  for (const listener of listeners) listener(message);
}

function parse(data: unknown): DeskStreamEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value === 'object' && value !== null && EVENT_TYPES.includes((value as DeskStreamEvent).type)) return value as DeskStreamEvent;
  } catch {
    // A malformed event is dropped; the next resync or event repairs the view.
  }
  return null;
}

/**
 * One EventSource for the whole app while logged in. The browser reconnects by itself after a
 * network blip; when the server refuses the stream (e.g. a 401 or a restart), EventSource gives up,
 * so we reopen it ourselves with a growing delay.
 */
export function connectEvents(): () => void {
  let source: EventSource | null = null;
  let retryTimer: number | undefined;
  let delay = 1_000;
  let broken = false;
  let stopped = false;

  const onEvent = (event: MessageEvent) => {
    const parsed = parse(event.data);
    if (parsed) emit(parsed);
  };

  const open = () => {
    if (stopped) return;
    source = new EventSource('/api/events', { withCredentials: true });
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    // Unnamed events carry their type in the data.
    source.onmessage = onEvent;
    source.onopen = () => {
      delay = 1_000;
      if (broken) emit({ type: 'resync' });
      broken = false;
    };
    source.onerror = () => {
      broken = true;
      if (source?.readyState === EventSource.CLOSED) {
        source.close();
        // The server refused the stream; if that is because the session ended, say so now
        // (the app then logs out and stops this loop) rather than retrying for ever.
        api.checkSession().catch(() => {});
        retryTimer = window.setTimeout(open, delay);
        delay = Math.min(delay * 2, 30_000);
      }
    };
  };

  open();
  return () => {
    stopped = true;
    window.clearTimeout(retryTimer);
    source?.close();
  };
}

/** Calls `handler` for every stream message while the component is mounted; the latest handler wins. */
export function useDeskEvents(handler: Listener): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const listener: Listener = (message) => latest.current(message);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}

/** A function that runs `fn` once, `ms` after the last of a burst of calls (SSE events come in bursts). */
export function useDebounced(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const debounced = useRef(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => latest.current(), ms);
  });
  return debounced.current;
}

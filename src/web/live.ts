import { useEffect, useRef } from 'react';
import { api } from './api';

/**
 * Live changes for the signed-in user: one EventSource on `/api/me/events`, shared by every
 * component that listens (the bell, the 工作台). `notices` and `todo` mean "reload"; `ended`
 * means the session is over (the next request shows the login page). The stream is not
 * activity, so an idle session still ends after its idle time.
 */
export type LiveKind = 'notices' | 'todo';
type Listener = (kind: LiveKind) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/me/events');
  source = es;
  const fire = (kind: LiveKind) => () => {
    for (const fn of [...listeners]) fn(kind);
  };
  es.addEventListener('notices', fire('notices'));
  es.addEventListener('todo', fire('todo'));
  es.addEventListener('ended', () => {
    close();
    void api.get('/api/me').catch(() => {}); // a 401 there ends the session in the app
  });
  es.onerror = () => {
    // the browser reconnects by itself while the stream is only interrupted; a refused one
    // (401, server gone) is closed: try again later while someone listens
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (listeners.size > 0) open();
      }, 15_000);
    }
  };
}

function close(): void {
  clearTimeout(retry);
  source?.close();
  source = null;
}

/** Calls `fn` on every live change while the component is mounted. */
export function useLive(fn: Listener): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const l: Listener = (k) => ref.current(k);
    listeners.add(l);
    open();
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) close();
    };
  }, []);
}

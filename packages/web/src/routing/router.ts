import { useEffect, useState } from 'preact/hooks';

/**
 * The page's own router over the History API: the URL is the state (path, search, filters), so
 * a view can be shared and the back button walks through it.
 */

/** Where the page is: the path and the query string (with its `?`, or empty). */
export interface PageLocation {
  readonly path: string;
  readonly search: string;
}

/** Options of `navigate`. */
export interface NavigateOptions {
  /** Replace the current history entry instead of adding one. */
  readonly replace?: boolean | undefined;
  /** Kept in `history.state` (e.g. to merge a burst of typing into one entry). */
  readonly state?: unknown;
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

function readLocation(): PageLocation {
  return { path: location.pathname, search: location.search };
}

/** Goes to `href` (same origin) without reloading the page. */
export function navigate(href: string, options: NavigateOptions = {}): void {
  const target = new URL(href, location.href);
  if (target.origin !== location.origin) {
    location.assign(target.href);
    return;
  }
  const url = `${target.pathname}${target.search}${target.hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (options.replace === true) history.replaceState(options.state ?? null, '', url);
  else history.pushState(options.state ?? null, '', url);
  notify();
}

/** The current location; re-renders on navigation and on the back and forward buttons. */
export function useLocation(): PageLocation {
  const [current, setCurrent] = useState(readLocation);
  useEffect(() => {
    const update = () => setCurrent(readLocation());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return current;
}

/** The `state` given to the history entry the page is on. */
export function historyState(): unknown {
  return history.state as unknown;
}

import { useEffect, useRef } from 'preact/hooks';

/**
 * A function that calls `action` once `delayMs` after the last call (a burst of keystrokes makes
 * one request). Pending calls are dropped when the component goes away.
 */
export function useDebounced<A extends unknown[]>(
  action: (...args: A) => void,
  delayMs: number,
): { call(...args: A): void; cancel(): void } {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => () => clearTimeout(timer.current), []);
  const handle = useRef({
    call(...args: A) {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(...args), delayMs);
    },
    cancel() {
      clearTimeout(timer.current);
    },
  });
  return handle.current;
}

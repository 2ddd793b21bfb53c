import { useCallback, useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api/api-error.js';

/** What an asynchronous load has produced so far. */
export type AsyncState<T> =
  | { readonly status: 'loading'; readonly data: T | undefined }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly data: T | undefined; readonly error: unknown };

/**
 * Runs `load` whenever `key` changes, canceling the previous call (its answer can never
 * overwrite a newer one). `reload()` runs it again for the same key. While loading, the previous
 * data stays available so the page does not flash empty.
 */
export function useAsync<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): AsyncState<T> & { reload(): void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading', data: undefined });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', data: previous.data }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        setState((previous) => ({ status: 'error', data: previous.data, error }));
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

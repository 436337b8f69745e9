import { useCallback, useEffect, useState } from 'react';
import type { DependencyList } from 'react';

export type Resource<T> =
  | { status: 'loading'; reload(): void }
  | { status: 'failed'; error: unknown; reload(): void }
  | { status: 'ready'; data: T; reload(): void; set(data: T): void };

/** Loads data for a page; aborts when the inputs change or the page goes away. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; data: T }>({
    status: 'loading',
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', error });
      });
    return () => controller.abort();
    // `load` is a new function on every render; the caller names the inputs that matter in `deps`.
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);

  if (state.status === 'ready') return { status: 'ready', data: state.data, reload, set };
  if (state.status === 'failed') return { status: 'failed', error: state.error, reload };
  return { status: 'loading', reload };
}

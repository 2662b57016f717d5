import { useEffect, useState } from 'react';

type Loader<T> = () => Promise<{ default: T }>;

const loaded = new Map<Loader<unknown>, unknown>();

/** Loads a module (once: the browser keeps it) and remembers its default export. */
export function preloadModule<T>(load: Loader<T>): Promise<T> {
  return load().then((m) => {
    loaded.set(load, m.default);
    return m.default;
  });
}

/**
 * The default export of a lazily loaded module, or undefined while it loads. Unlike React.lazy,
 * a module already loaded (say, preloaded while the session was checked) renders at once, with no
 * Suspense fallback and none of the delay React puts on revealing suspended content.
 */
export function useModule<T>(load: Loader<T>): T | undefined {
  const [, loadedNow] = useState(0);
  const have = loaded.get(load) as T | undefined;
  useEffect(() => {
    if (have === undefined) void preloadModule(load).then(() => loadedNow((n) => n + 1));
  }, [load, have]);
  return have;
}

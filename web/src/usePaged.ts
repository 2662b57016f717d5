import { useState } from 'react';
import { api, get } from './api.ts';

/**
 * A list served in keyset pages: `load()` fetches the first page, `load(next)` appends the next one.
 * `path` gives the request for a cursor, or null when there is nothing to ask yet. With `early`, the
 * first page is the one asked for before the page was shown, if it was (`fetchEarly`).
 */
export function usePaged<T, C extends string | number>(
  path: (cursor?: C) => string | null,
  how: { early?: boolean } = {},
) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<C | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function load(cursor?: C) {
    const url = path(cursor);
    if (!url) return;
    try {
      type Page = { items: T[]; nextCursor: C | null };
      const page = await (how.early && cursor === undefined ? get<Page>(url) : api<Page>('GET', url));
      setItems((old) => (cursor === undefined ? page.items : [...old, ...page.items]));
      setNext(page.nextCursor);
      setProblem(null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return { items, next, problem, load };
}

import { useEffect, useState } from 'react';
import { api, problemOf } from '../api.ts';

/**
 * A list the server gives in keyset pages, newest first: the first page when `path` changes, and
 * `more()` appends the next one. `nextOf` reads where the next page starts from an answer.
 */
export function useKeyset<T, A extends { items: T[] }>(
  path: string,
  cursorName: string,
  nextOf: (answer: A) => string | number | null,
) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function load(cursor?: string) {
    try {
      const separator = path.includes('?') ? '&' : '?';
      const answer = await api<A>(
        'GET',
        cursor ? `${path}${separator}${cursorName}=${encodeURIComponent(cursor)}` : path,
      );
      setItems((old) => (cursor ? [...old, ...answer.items] : answer.items));
      const n = nextOf(answer);
      setNext(n === null ? null : String(n));
      setProblem(null);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, [path]);

  return { items, problem, more: next ? () => void load(next) : null };
}

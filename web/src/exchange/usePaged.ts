import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { problemOf } from './format.ts';

const pageSize = 50;

interface Page<T> {
  messages: T[];
  nextCursor: string | null;
}

/** A page list and the query it answers, so that a list read for an earlier filter is never shown as the current one's. */
interface Listed<T> extends Page<T> {
  query: string;
}

/**
 * A list of the exchange API read in keyset pages (GET /api/exchange/outbox and inbox): the first
 * page for `filter`, read again when it changes (no list while the new one is read), and `more` to append the next page (`before` the
 * previous page's cursor), null when there is none.
 */
export function usePaged<T>(path: string, filter: Record<string, string>) {
  const query = new URLSearchParams(
    Object.entries({ ...filter, limit: String(pageSize) }).filter(([, v]) => v !== ''),
  ).toString();
  const [read, setList] = useState<Listed<T> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef(query);

  useEffect(() => {
    asked.current = query;
    api<Page<T>>('GET', `${path}?${query}`).then(
      (r) => {
        if (asked.current !== query) return;
        setList({ ...r, query });
        setProblem(null);
      },
      (e: unknown) => asked.current === query && setProblem(problemOf(e)),
    );
  }, [path, query]);

  const list = read?.query === query ? read : null;
  const cursor = list?.nextCursor ?? null;
  const more = useCallback(async () => {
    if (cursor === null) return;
    setBusy(true);
    try {
      const next = await api<Page<T>>('GET', `${path}?${query}&before=${encodeURIComponent(cursor)}`);
      if (asked.current !== query) return;
      setList((l) => ({
        messages: [...(l?.messages ?? []), ...next.messages],
        nextCursor: next.nextCursor,
        query,
      }));
      setProblem(null);
    } catch (e) {
      if (asked.current === query) setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }, [path, query, cursor]);

  return {
    messages: list?.messages ?? null,
    problem,
    more: cursor === null ? null : more,
    busy,
  };
}

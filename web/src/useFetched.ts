import { useEffect, useState } from 'react';
import { api, problemOf } from './api.ts';

/**
 * What a GET of `path` answered, or the problem it met; asked again whenever the path changes, and
 * when `version` changes (a caller raises it after an action that changes what the path shows).
 * A failed request clears what an earlier one answered, so nothing stale is shown beside the alert.
 * A null path asks nothing.
 */
export function useFetched<T>(path: string | null, version = 0): { data: T | null; problem: string | null } {
  const [state, setState] = useState<{ data: T | null; problem: string | null }>({
    data: null,
    problem: null,
  });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api<T>('GET', path).then(
      (data) => current && setState({ data, problem: null }),
      (e: unknown) => current && setState({ data: null, problem: problemOf(e) }),
    );
    return () => {
      current = false;
    };
  }, [path, version]);
  return state;
}

import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { problemOf } from '../quality/format.ts';

/**
 * What a GET of `path` answered, or the problem it met; asked again when the path or `version`
 * changes (after an action that changes what it shows). A failure clears the earlier answer.
 */
export function useLoaded<T>(
  path: string | null,
  version: number,
): { data: T | null; problem: string | null } {
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

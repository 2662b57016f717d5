import { useEffect, useState, type MouseEvent } from 'react';
import { usePaged } from '../usePaged.ts';
import { when } from './format.ts';
import type { Hold } from './types.ts';

/**
 * Legal holds, newest first, a page at a time: the standing ones, or with the released ones too.
 * Each names its declaration, linked to its page for those who may read declarations.
 */
export function Holds({ open }: { open: ((id: number) => void) | null }) {
  const [all, setAll] = useState(false);
  const { items, next, problem, load } = usePaged<Hold, number>((before) => {
    const query = new URLSearchParams({ limit: '50' });
    if (all) query.set('all', 'true');
    if (before !== undefined) query.set('before', String(before));
    return `/api/retention/holds?${query}`;
  });

  useEffect(() => {
    void load();
  }, [all]);

  // a plain click opens the declaration in the application; a middle or modified click, a new tab
  const follow = (id: number) => (e: MouseEvent) => {
    if (!open || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    open(id);
  };

  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">Legal holds</h2>
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          Show released holds too
        </label>
      </div>
      {problem && <p role="alert">{problem}</p>}
      <table aria-labelledby="holds-title">
        <thead>
          <tr>
            <th scope="col">Declaration</th>
            <th scope="col">Reason</th>
            <th scope="col">Placed</th>
            {all && <th scope="col">Released</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((h) => (
            <tr key={h.id}>
              <th scope="row">
                {open ? (
                  <a
                    className="link"
                    href={`/declarations/${h.declarationId}`}
                    onClick={follow(h.declarationId)}
                  >
                    Declaration {h.declarationId}
                  </a>
                ) : (
                  `Declaration ${h.declarationId}`
                )}
              </th>
              <td>{h.reason}</td>
              <td>
                by {h.placedBy}, <time dateTime={h.placedAt}>{when(h.placedAt)}</time>
              </td>
              {all && (
                <td>
                  {h.releasedAt ? (
                    <>
                      by {h.releasedBy}, <time dateTime={h.releasedAt}>{when(h.releasedAt)}</time>:{' '}
                      {h.releaseReason}
                    </>
                  ) : (
                    'standing'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !problem && (
        <p>{all ? 'No declaration has been held.' : 'No declaration is under legal hold.'}</p>
      )}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

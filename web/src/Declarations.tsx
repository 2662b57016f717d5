import { useEffect, useState } from 'react';
import type { PageProps } from './pages.ts';
import { Lane } from './Lane.tsx';
import { Link } from './Link.tsx';
import { usePaged } from './usePaged.ts';
import { SearchForm } from './declarations/SearchForm.tsx';
import { queryOf, searching, searchOf, type Search } from './declarations/search.ts';
import { day, money } from './format.ts';

interface Row {
  id: number;
  functionalReference: string;
  trader: string;
  date: string;
  office: string;
  status: string;
  lane?: string;
  currency: string;
  invoiceTotal?: number;
}

/**
 * Declarations the user may see, newest first, searched by reference, parties, HS code, office,
 * status, lane and dates. The search lives in the address (`/declarations?reference=...`): searching
 * goes to that address, so reload, Back and a shared link give the same search; "More" asks for
 * the next page of the same search (keyset on id).
 */
export default function Declarations({ open, go }: PageProps) {
  const shown = searchOf(window.location.search);
  const query = queryOf(shown);
  const {
    items: rows,
    next,
    problem,
    load,
  } = usePaged<Row, number>(
    (before) => `/api/declarations?${query ? `${query}&` : ''}limit=50${before ? `&before=${before}` : ''}`,
  );
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    void load().then(() => setLoaded(true));
  }, []);

  const search = (s: Search) => {
    const q = queryOf(s);
    go(`/declarations${q ? `?${q}` : ''}`);
  };

  return (
    <section aria-labelledby="declarations-title">
      <h1 id="declarations-title">Declarations</h1>
      <SearchForm shown={shown} onSearch={search} />
      {problem && <p role="alert">{problem}</p>}
      <p role="status" className="result-count">
        {loaded && !problem && summary(rows.length, next !== null, searching(shown))}
      </p>
      {rows.length > 0 && (
        <table aria-labelledby="declarations-title">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Reference</th>
              <th scope="col">Trader</th>
              <th scope="col">Date</th>
              <th scope="col">Office</th>
              <th scope="col">Status</th>
              <th scope="col">Lane</th>
              <th scope="col" className="number">
                Invoice total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>{d.id}</td>
                <td>
                  <Link className="link" href={`/declarations/${d.id}`} follow={() => open(d.id)}>
                    {d.functionalReference}
                  </Link>
                </td>
                <td>{d.trader}</td>
                <td>{day(d.date)}</td>
                <td>{d.office}</td>
                <td>{d.status}</td>
                <td>
                  <Lane lane={d.lane} />
                </td>
                <td className="number">
                  {d.invoiceTotal === undefined ? '' : money(d.invoiceTotal, d.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

function summary(count: number, more: boolean, searched: boolean): string {
  if (count === 0) return searched ? 'No declarations match this search.' : 'No declarations yet.';
  const n = `${count} declaration${count === 1 ? '' : 's'}`;
  if (more) return `The newest ${n} shown; More shows the next ones.`;
  return searched ? `${n} match${count === 1 ? 'es' : ''} this search.` : `${n}.`;
}

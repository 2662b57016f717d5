import { useEffect } from 'react';
import type { PageProps } from './pages.ts';
import { Lane } from './Lane.tsx';
import { usePaged } from './usePaged.ts';

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

/** The declarations the user may see, newest first, a page at a time (keyset on id). */
export default function Declarations({ open }: PageProps) {
  const {
    items: rows,
    next,
    problem,
    load,
  } = usePaged<Row, number>((before) => `/api/declarations?limit=50${before ? `&before=${before}` : ''}`);

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="declarations-title">
      <h1 id="declarations-title">Declarations</h1>
      {problem && <p role="alert">{problem}</p>}
      <table>
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
                <button className="link" onClick={() => open(d.id)}>
                  {d.functionalReference}
                </button>
              </td>
              <td>{d.trader}</td>
              <td>{d.date}</td>
              <td>{d.office}</td>
              <td>{d.status}</td>
              <td>
                <Lane lane={d.lane} />
              </td>
              <td className="number">
                {d.invoiceTotal?.toLocaleString('en', { maximumFractionDigits: 2 })} {d.currency}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !problem && <p>No declarations yet.</p>}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

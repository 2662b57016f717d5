import { useEffect, useState } from 'react';
import type { PageProps } from './pages.ts';
import { Lane } from './Lane.tsx';
import { usePaged } from './usePaged.ts';

interface Item {
  id: number;
  functionalReference: string;
  trader: string;
  date: string;
  lane: string;
  riskScore: number;
  status: string;
  items: number;
}

/** The open red and yellow work of an office, highest risk first. */
export default function Worklist({ user, open }: PageProps) {
  const [office, setOffice] = useState(user.office ?? '');
  const { items, next, problem, load } = usePaged<Item, string>((after) =>
    office
      ? `/api/worklist?office=${encodeURIComponent(office)}&limit=50${after ? `&after=${after}` : ''}`
      : null,
  );

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">Worklist</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          Office
          <input value={office} onChange={(e) => setOffice(e.target.value.toUpperCase())} />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <p role="alert">{problem}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Risk</th>
            <th scope="col">Lane</th>
            <th scope="col">Id</th>
            <th scope="col">Reference</th>
            <th scope="col">Trader</th>
            <th scope="col">Date</th>
            <th scope="col" className="number">
              Items
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td>{d.riskScore.toFixed(2)}</td>
              <td>
                <Lane lane={d.lane} />
              </td>
              <td>{d.id}</td>
              <td>
                <button className="link" onClick={() => open(d.id)}>
                  {d.functionalReference}
                </button>
              </td>
              <td>{d.trader}</td>
              <td>{d.date}</td>
              <td className="number">{d.items}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !problem && <p>Nothing waits for control here.</p>}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

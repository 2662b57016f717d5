import { money, quantity } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import type { Aggregates as AggregatesAnswer } from './types.ts';

/** What an aggregated agreement shares: per month, HS chapter and currency, small cells suppressed. */
export function Aggregates({ agreement, from, to }: { agreement: number; from: string; to: string }) {
  const query = new URLSearchParams({ agreement: String(agreement) });
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  const { data, problem } = useFetched<AggregatesAnswer>(`/api/sharing/aggregates?${query}`);
  if (problem) return <p role="alert">{problem}</p>;
  if (!data) return null;
  return (
    <>
      <p>Whole months that have ended; cells of fewer than {data.minTraders} traders are suppressed.</p>
      <table aria-label="Aggregates">
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">HS chapter</th>
            <th scope="col">Declarations</th>
            <th scope="col">Value</th>
            <th scope="col">Net mass</th>
          </tr>
        </thead>
        <tbody>
          {data.cells.map((c) => (
            <tr key={`${c.month}-${c.chapter}-${c.currency}`}>
              <th scope="row">{c.month}</th>
              <td>{c.chapter}</td>
              <td>{c.suppressed ? 'suppressed' : String(c.declarations)}</td>
              <td>{c.value === null ? '—' : money(c.value, c.currency)}</td>
              <td>{c.netMass === null ? '—' : quantity(c.netMass, 'kg')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

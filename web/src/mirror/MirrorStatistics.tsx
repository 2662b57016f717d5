import { withQuery } from '../addressFilters.ts';
import { FiltersForm } from '../FiltersForm.tsx';
import { money, monthName } from '../format.ts';
import type { PageProps } from '../pages.ts';
import { useAddressFilters } from '../useAddressFilters.ts';
import { useFetched } from '../useFetched.ts';
import { mirrorFilters } from './filters.ts';
import { MirrorChart } from './MirrorChart.tsx';
import { byMonth, currenciesOf } from './months.ts';
import type { Statistics } from './types.ts';

const path = '/api/exchange/mirror-statistics';

/** "2026-03" as "March 2026". */
const monthText = (month: string) => {
  const [y, m] = month.split('-');
  return `${monthName(Number(m))} ${y}`;
};

const exports = (n: number) => `${n} export${n === 1 ? '' : 's'}`;

/** A gap with its sign always written: "+1,200.00 EUR", "−3,400.00 EUR". */
const signed = (n: number, currency: string) =>
  `${n > 0 ? '+' : n < 0 ? '−' : ''}${money(Math.abs(n), currency)}`;

/**
 * Mirror statistics for risk analysts: partners' exports per partner, HS chapter and export month,
 * how many were matched to an import here and how many wait, how many matched pairs have a gap
 * beyond its threshold, and the value gap (import minus export). The filters are the address, so a
 * reload, Back or a shared link shows the same; the CSV is the same rows.
 */
export default function MirrorStatistics({ go }: PageProps) {
  const { query, form, set, submit } = useAddressFilters(mirrorFilters, '/mirror', go);
  const { data, problem } = useFetched<Statistics>(withQuery(path, query));

  const months = data ? byMonth(data.rows, data.from, data.to) : [];
  const currencies = data ? currenciesOf(data.rows) : [];
  const total = (key: 'matched' | 'unmatched' | 'beyond') => data?.rows.reduce((s, r) => s + r[key], 0) ?? 0;
  const csv = `${path}?${query ? `${query}&` : ''}format=csv`;

  return (
    <section aria-labelledby="mirror-title">
      <h1 id="mirror-title">Mirror statistics</h1>
      <p className="hint">
        Export declarations received from partner administrations, by the export's month, against the imports
        lodged here. Values and the value gap (import minus export) are over the matched pairs, summed within
        one currency.
      </p>
      <FiltersForm onSubmit={submit}>
        <label>
          From month
          <input type="month" value={form.from} onChange={set('from')} />
        </label>
        <label>
          To month
          <input type="month" value={form.to} onChange={set('to')} />
        </label>
        <label>
          Partner
          <input
            value={form.partner}
            onChange={set('partner')}
            placeholder="any"
            size={8}
            autoComplete="off"
          />
        </label>
        <label>
          HS chapter
          <input
            value={form.chapter}
            onChange={set('chapter')}
            placeholder="any"
            size={4}
            inputMode="numeric"
            autoComplete="off"
          />
        </label>
      </FiltersForm>
      {problem && <p role="alert">{problem}</p>}
      <p role="status">
        {data &&
          `${monthText(data.from)} to ${monthText(data.to)}: ${exports(total('matched'))} matched, ${total('unmatched')} unmatched, ${total('beyond')} with a gap beyond its threshold.`}
      </p>
      {data && (
        <>
          <p>
            <a className="link" href={csv} download>
              Download CSV
            </a>
          </p>
          {data.rows.length > 0 && (
            <figure className="chart">
              <MirrorChart
                months={months}
                currencies={currencies}
                label={`Matched and unmatched exports and the value gap per month, ${monthText(data.from)} to ${monthText(data.to)}`}
              />
            </figure>
          )}
          <Rows data={data} />
        </>
      )}
    </section>
  );
}

function Rows({ data }: { data: Statistics }) {
  if (data.rows.length === 0) return <p>No export was received from a partner in these months.</p>;
  return (
    <div className="scroll">
      <table aria-labelledby="mirror-rows-title" className="mirror-rows">
        <caption id="mirror-rows-title">By partner, HS chapter and month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Partner</th>
            <th scope="col">Chapter</th>
            <th scope="col" className="number">
              Matched
            </th>
            <th scope="col" className="number">
              Unmatched
            </th>
            <th scope="col" className="number">
              Beyond threshold
            </th>
            <th scope="col" className="number">
              Export value, matched
            </th>
            <th scope="col" className="number">
              Import value, matched
            </th>
            <th scope="col" className="number">
              Value gap
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={`${r.month} ${r.partner} ${r.chapter} ${r.currency}`}>
              <th scope="row">
                <time dateTime={r.month}>{monthText(r.month)}</time>
              </th>
              <td>{r.partner}</td>
              <td>{r.chapter}</td>
              <td className="number">{r.matched}</td>
              <td className="number">{r.unmatched}</td>
              <td className="number">{r.beyond}</td>
              <td className="number">{money(r.exportValue, r.currency)}</td>
              <td className="number">{money(r.importValue, r.currency)}</td>
              <td className="number">{signed(r.valueGap, r.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

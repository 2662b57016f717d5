import { useEffect, useState } from 'react';
import { usePaged } from '../usePaged.ts';
import { PriceDistribution } from './PriceDistribution.tsx';
import { unitValue, type PriceRow } from './prices.ts';

const keyOf = (r: PriceRow) => `${r.hs6}|${r.origin}|${r.currency}`;
const originText = (r: PriceRow) => r.origin || 'all origins';
/** An analyst's bounds, either of which may be open. */
const bounds = (min: number | null, max: number | null) =>
  min !== null && max !== null
    ? `${unitValue(min)} – ${unitValue(max)}`
    : min !== null
      ? `at least ${unitValue(min)}`
      : `at most ${unitValue(max)}`;

/**
 * The price reference: unit values (per kg) observed for each HS6, origin and currency, the band
 * outside which a unit value is an anomaly, and analysts' overrides. Browsed by HS prefix, a page
 * at a time.
 */
export default function Prices() {
  const [hs, setHs] = useState('');
  const [currency, setCurrency] = useState('');
  const [chosen, setChosen] = useState<PriceRow | null>(null);
  const { items, next, problem, load } = usePaged<PriceRow, string>((after) => {
    const query = new URLSearchParams({ limit: '100' });
    if (hs) query.set('hs', hs);
    if (currency) query.set('currency', currency);
    if (after) query.set('after', after);
    return `/api/risk/prices?${query}`;
  });

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="prices-title">
      <h1 id="prices-title">Price reference</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setChosen(null);
          void load();
        }}
      >
        <label>
          HS prefix
          <input
            value={hs}
            inputMode="numeric"
            size={8}
            maxLength={6}
            placeholder="e.g. 8517"
            onChange={(e) => setHs(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label>
          Currency
          <input
            value={currency}
            size={5}
            maxLength={3}
            placeholder="any"
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <p role="alert">{problem}</p>}
      {chosen?.low !== undefined && chosen.high !== undefined && (
        <PriceDistribution
          key={keyOf(chosen)}
          row={chosen}
          low={chosen.low}
          high={chosen.high}
          onClose={() => setChosen(null)}
        />
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">HS6</th>
            <th scope="col">Origin</th>
            <th scope="col">Currency</th>
            <th scope="col" className="number">
              n
            </th>
            <th scope="col" className="number">
              p05
            </th>
            <th scope="col" className="number">
              p25
            </th>
            <th scope="col" className="number">
              Median
            </th>
            <th scope="col" className="number">
              p75
            </th>
            <th scope="col" className="number">
              p95
            </th>
            <th scope="col">Band</th>
            <th scope="col">Override</th>
            <th scope="col">Distribution</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={keyOf(r)} className={chosen && keyOf(chosen) === keyOf(r) ? 'open' : undefined}>
              <th scope="row">{r.hs6}</th>
              <td>{originText(r)}</td>
              <td>{r.currency}</td>
              <td className="number">{r.n}</td>
              <td className="number">{unitValue(r.p05)}</td>
              <td className="number">{unitValue(r.p25)}</td>
              <td className="number">{unitValue(r.p50)}</td>
              <td className="number">{unitValue(r.p75)}</td>
              <td className="number">{unitValue(r.p95)}</td>
              <td className="nowrap">
                {r.low === undefined ? '–' : `${unitValue(r.low)} – ${unitValue(r.high)}`}
              </td>
              <td>
                {r.override &&
                  `${bounds(r.override.min, r.override.max)}: ${r.override.reason} (${r.override.setBy})`}
              </td>
              <td>
                {r.low !== undefined && (
                  <button
                    aria-label={`Show distribution of ${r.hs6}, ${originText(r)}, ${r.currency}`}
                    aria-pressed={chosen !== null && keyOf(chosen) === keyOf(r)}
                    onClick={() => setChosen(r)}
                  >
                    Show
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !problem && <p>No reference for these goods yet.</p>}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

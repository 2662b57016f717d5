import { useEffect, useRef } from 'react';
import { PriceChart } from '../PriceChart.tsx';
import type { PriceRow } from './prices.ts';

/**
 * The distribution of one row of the price reference, opened above the list: the curve its median
 * and spread imply, the middle 90 % of observed unit values and the anomaly band, with the
 * analyst's override that set the band, if any.
 */
export function PriceDistribution({
  row: r,
  low,
  high,
  onClose,
}: {
  row: PriceRow;
  low: number;
  high: number;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // the panel opens above the list, away from the row's button: take the reader there
  useEffect(() => heading.current?.focus(), []);
  const where = `${r.hs6} from ${r.origin || 'all origins'} in ${r.currency}`;
  return (
    <aside className="panel" aria-labelledby="price-distribution-title">
      <div className="title-bar">
        <h2 id="price-distribution-title" ref={heading} tabIndex={-1}>
          Distribution of {where}
        </h2>
        <button onClick={onClose}>Close</button>
      </div>
      <PriceChart reference={{ ...r, low, high }} />
      {r.override && (
        <p className="hint">
          The band is set by {r.override.setBy}: {r.override.reason}.
        </p>
      )}
    </aside>
  );
}

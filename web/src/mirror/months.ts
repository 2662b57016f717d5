/** The statistics' rows summed per export month and currency, for the chart and the totals. */
import type { StatisticsRow } from './types.ts';

export interface Month {
  month: string;
  matched: number;
  unmatched: number;
  beyond: number;
  /** value gap per currency (values are only summed within one currency) */
  valueGap: Record<string, number>;
}

/** Every month from `from` to `to` (YYYY-MM), in order: the months without exports too. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && months.length < 240) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

export function byMonth(rows: readonly StatisticsRow[], from: string, to: string): Month[] {
  const months = new Map<string, Month>(
    monthsBetween(from, to).map((month) => [
      month,
      { month, matched: 0, unmatched: 0, beyond: 0, valueGap: {} },
    ]),
  );
  for (const r of rows) {
    let m = months.get(r.month);
    if (!m) {
      m = { month: r.month, matched: 0, unmatched: 0, beyond: 0, valueGap: {} };
      months.set(r.month, m);
    }
    m.matched += r.matched;
    m.unmatched += r.unmatched;
    m.beyond += r.beyond;
    m.valueGap[r.currency] = (m.valueGap[r.currency] ?? 0) + r.valueGap;
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** The currencies of the rows, the most frequent first. */
export function currenciesOf(rows: readonly StatisticsRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/**
 * Unit-value statistics (value per kg) by HS subheading and currency, from accepted declarations:
 * the plausibility layer warns about values outside a robust band around the median.
 */
import type { Sql } from '../db/database.ts';

export interface UnitValueBand {
  count: number;
  median: number;
  low: number;
  high: number;
}

export interface UnitValueRow {
  hs6: string;
  currency: string;
  n: number;
  /** Median and median absolute deviation of ln(value per kg). */
  median: number;
  mad: number;
}

export interface UnitValueStats {
  band(hs6: string, currency: string): UnitValueBand | undefined;
  /** The statistics as plain rows, to rebuild them elsewhere (e.g. in an import worker). */
  readonly rows: readonly UnitValueRow[];
}

/** Minimum observations before a band is trusted. */
export const minObservations = 30;
/** Width of the band in robust standard deviations of log unit value. */
const width = 4;

export const noUnitValueStats: UnitValueStats = { band: () => undefined, rows: [] };

export function unitValueStatsFrom(rows: readonly UnitValueRow[]): UnitValueStats {
  const bands = new Map<string, UnitValueBand>();
  for (const r of rows) {
    // MAD of log values scaled to a standard deviation; a floor keeps tight clusters from flagging noise
    const sigma = Math.max(1.4826 * r.mad, 0.25);
    bands.set(`${r.hs6}|${r.currency}`, {
      count: r.n,
      median: Math.exp(r.median),
      low: Math.exp(r.median - width * sigma),
      high: Math.exp(r.median + width * sigma),
    });
  }
  return { band: (hs6, currency) => bands.get(`${hs6}|${currency}`), rows };
}

/** Computes the bands from the items stored so far. */
export async function loadUnitValueStats(sql: Sql): Promise<UnitValueStats> {
  const rows = await sql.query<UnitValueRow>(
    `WITH uv AS (
       SELECT substr(i.hs_code, 1, 6) AS hs6, d.currency, ln(i.value / i.net_mass)::float8 AS x
       FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id
       WHERE i.net_mass > 0 AND i.value > 0 AND d.status <> 'cancelled'),
     med AS (
       SELECT hs6, currency, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median
       FROM uv GROUP BY hs6, currency HAVING count(*) >= $1)
     SELECT m.hs6, m.currency, m.n::int8 AS n, m.median,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(uv.x - m.median)) AS mad
     FROM med m JOIN uv USING (hs6, currency)
     GROUP BY m.hs6, m.currency, m.n, m.median`,
    [minObservations],
  );
  return unitValueStatsFrom(rows);
}

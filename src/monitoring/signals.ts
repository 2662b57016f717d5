/**
 * What the surge and unit-value rules read from the declarations: imports only, cancelled ones
 * left out, HS6 and origin per goods item (an item without an origin takes the declaration's).
 */
import type { Sql } from '../db/database.ts';
import { endOf, shiftPeriod } from './periods.ts';
import type { OriginCount, UnitValueMedians } from './rules.ts';
import type { MonitorPeriod } from './series-key.ts';

const imports = `d.type = 'IM' AND d.status <> 'cancelled'`;

/**
 * Declarations per HS6 and origin in the latest period and over the `baseline` periods before it;
 * a declaration counts once per HS6 and origin. Values in `currency` only.
 */
export async function originCounts(
  sql: Sql,
  unit: MonitorPeriod,
  latest: string,
  baseline: number,
  currency: string | null,
): Promise<OriginCount[]> {
  return sql.query<OriginCount>(
    `WITH pairs AS (
       SELECT d.id, left(i.hs_code, 6) AS hs6, coalesce(i.origin_country, d.origin_country, '') AS origin,
              d.date >= $2::date AS latest,
              sum(CASE WHEN d.currency = $4::text THEN i.value ELSE 0 END) AS value
       FROM declarations d JOIN declaration_items i ON i.declaration_id = d.id
       WHERE ${imports} AND d.date BETWEEN $1::date AND $3::date AND length(i.hs_code) >= 6
       GROUP BY 1, 2, 3, 4)
     SELECT hs6, origin, count(*) FILTER (WHERE latest)::int8 AS latest,
            count(*) FILTER (WHERE NOT latest)::int8 AS baseline,
            coalesce(sum(value) FILTER (WHERE latest), 0) AS "latestValue"
     FROM pairs WHERE origin <> '' GROUP BY hs6, origin ORDER BY hs6, origin`,
    [shiftPeriod(latest, unit, -baseline), latest, endOf(latest, unit), currency],
  );
}

/** The quarter before a period: three months, or thirteen weeks. */
const quarter: Record<MonitorPeriod, number> = { month: 3, week: 13 };

/**
 * Per HS6, the median unit value (value per kilogram of net mass, in `currency`) of each of the
 * `count` periods ending with `latest`, and over the quarter before the first of them.
 */
export async function unitValueMedians(
  sql: Sql,
  unit: MonitorPeriod,
  latest: string,
  count: number,
  currency: string,
): Promise<UnitValueMedians[]> {
  const first = shiftPeriod(latest, unit, -(count - 1));
  const rows = await sql.query<{
    hs6: string;
    period: string | null;
    median: number;
    items: number;
    mass: number;
  }>(
    `SELECT left(i.hs_code, 6) AS hs6,
            CASE WHEN d.date >= $2::date THEN date_trunc($5::text, d.date::timestamp)::date END AS period,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY (i.value / i.net_mass)::float8) AS median,
            count(*)::int8 AS items, sum(i.net_mass)::float8 AS mass
     FROM declarations d JOIN declaration_items i ON i.declaration_id = d.id
     WHERE ${imports} AND d.date BETWEEN $1::date AND $3::date AND d.currency = $4::text
       AND i.net_mass > 0 AND i.value > 0 AND length(i.hs_code) >= 6
     GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST`,
    [shiftPeriod(first, unit, -quarter[unit]), first, endOf(latest, unit), currency, unit],
  );
  const byHs = new Map<string, UnitValueMedians>();
  for (const r of rows) {
    const m = byHs.get(r.hs6) ?? { hs6: r.hs6, reference: { median: 0, items: 0 }, periods: [] };
    if (r.period === null) m.reference = { median: r.median, items: r.items };
    else m.periods.push({ period: r.period, median: r.median, items: r.items, mass: r.mass });
    byHs.set(r.hs6, m);
  }
  // a period without items breaks the run: it is missing from `periods`, so the run is shorter
  for (const m of byHs.values()) {
    const expected = Array.from({ length: count }, (_, i) => shiftPeriod(first, unit, i));
    m.periods = expected.flatMap((p) => m.periods.filter((x) => x.period === p));
    if (m.periods.length < count || m.periods.some((p, i) => p.period !== expected[i])) m.periods = [];
  }
  return [...byHs.values()];
}

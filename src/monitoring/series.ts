/**
 * The monitored series, built from the declarations: per period (week or month), the number of
 * import declarations, their value and their duty, in total and by HS chapter, origin and office.
 *
 * - Imports only, cancelled ones left out; a declaration's period is that of its date.
 * - Value is the sum of the item values and duty the sum of the items' duties (clearance/duties.ts,
 *   the one rule), both in one currency at a time, as the statistics count them: declarations in
 *   other currencies count in the number of declarations only.
 * - Chapter and origin are per goods item (an item without an origin takes the declaration's): a
 *   declaration with items under two chapters counts once under each, and once in the total.
 * - Every period of the window is there, zero where nothing was declared.
 */
import type { Sql } from '../db/database.ts';
import { itemDutySql } from '../clearance/duties.ts';
import { endOf, periodsUpTo } from './periods.ts';
import { Dimension, seriesKeyText, type MonitorPeriod, type SeriesKey } from './series-key.ts';

export interface SeriesWindow {
  unit: MonitorPeriod;
  /** The first day of the last period in the window (a complete one). */
  last: string;
  /** How many periods the window holds, ending with `last`. */
  periods: number;
}

export interface BuiltSeries extends SeriesKey {
  declarations: number[];
  value: number[];
  duty: number[];
}

export interface SeriesSet {
  /** The first day of every period, oldest first. */
  periods: string[];
  /** The currency of every value and duty; null when the window holds no import. */
  currency: string | null;
  /** By key text (`total`, `chapter:85`...). */
  series: Map<string, BuiltSeries>;
}

const imports = `d.type = 'IM' AND d.status <> 'cancelled' AND d.date BETWEEN $1::date AND $2::date`;

/** The currency most import declarations of the window are in (then the first by code). */
export async function commonCurrency(sql: Sql, from: string, to: string): Promise<string | null> {
  const [row] = await sql.query<{ currency: string }>(
    `SELECT d.currency FROM declarations d WHERE ${imports}
     GROUP BY d.currency ORDER BY count(*) DESC, d.currency LIMIT 1`,
    [from, to],
  );
  return row?.currency ?? null;
}

interface Cell {
  dimension: Dimension;
  key: string;
  period: string;
  declarations: number;
  value: number;
  duty: number;
}

/** Every series of the window; `currency` null takes the most common one. */
export async function buildSeries(
  sql: Sql,
  window: SeriesWindow,
  currency: string | null = null,
): Promise<SeriesSet> {
  const periods = periodsUpTo(window.last, window.unit, window.periods);
  const from = periods[0] ?? window.last;
  const to = endOf(window.last, window.unit);
  const chosen = currency ?? (await commonCurrency(sql, from, to));
  const rows = await sql.query<Cell>(
    `WITH items AS MATERIALIZED (
       SELECT d.id, date_trunc($3::text, d.date::timestamp)::date AS period, d.office,
              coalesce(left(i.hs_code, 2), '') AS chapter,
              coalesce(i.origin_country, d.origin_country, '') AS origin,
              CASE WHEN d.currency = $4::text THEN coalesce(i.value, 0) ELSE 0 END AS value,
              CASE WHEN d.currency = $4::text AND i.declaration_id IS NOT NULL
                   THEN ${itemDutySql('i', 'd')} ELSE 0 END AS duty
       FROM declarations d LEFT JOIN declaration_items i ON i.declaration_id = d.id
       WHERE ${imports})
     SELECT 'total' AS dimension, '' AS key, period, count(DISTINCT id)::int8 AS declarations,
            sum(value) AS value, sum(duty) AS duty FROM items GROUP BY period
     UNION ALL
     SELECT 'chapter', chapter, period, count(DISTINCT id)::int8, sum(value), sum(duty)
     FROM items WHERE chapter <> '' GROUP BY chapter, period
     UNION ALL
     SELECT 'origin', origin, period, count(DISTINCT id)::int8, sum(value), sum(duty)
     FROM items WHERE origin <> '' GROUP BY origin, period
     UNION ALL
     SELECT 'office', office, period, count(DISTINCT id)::int8, sum(value), sum(duty)
     FROM items GROUP BY office, period`,
    [from, to, window.unit, chosen],
  );
  const index = new Map(periods.map((p, i) => [p, i]));
  const series = new Map<string, BuiltSeries>();
  for (const row of rows) {
    const i = index.get(row.period);
    if (i === undefined) continue;
    const text = seriesKeyText(row);
    let s = series.get(text);
    if (!s) {
      const zeros = () => new Array<number>(periods.length).fill(0);
      s = { dimension: row.dimension, key: row.key, declarations: zeros(), value: zeros(), duty: zeros() };
      series.set(text, s);
    }
    s.declarations[i] = row.declarations;
    s.value[i] = cents(row.value);
    s.duty[i] = cents(row.duty);
  }
  return { periods, currency: chosen, series };
}

const cents = (x: number): number => Math.round(Number(x) * 100) / 100;

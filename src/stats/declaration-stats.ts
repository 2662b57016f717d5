/**
 * Declarations and their value over time, broken down by HS section or chapter, origin, office or
 * lane. Two statements: one over the window's declarations alone (counts per period and currency),
 * one that joins their items once and ranks and folds the keys in the same pass.
 *
 * - Value is the sum of the item values, in the declaration's currency; duty the sum of the items'
 *   duties by the one rule (clearance/duties.ts). Amounts in different currencies are never added:
 *   value and duty count only declarations in the chosen currency, while the number of declarations
 *   counts every currency.
 * - Section, chapter and origin are properties of goods items: a declaration with items in two
 *   chapters counts once in each, and once in the period's total; each item's value goes to its key.
 *   An item without an origin takes the declaration's.
 * - Cancelled declarations count in `cancelled` only, nowhere else.
 */
import { itemDutySql } from '../clearance/duties.ts';
import type { Sql } from '../db/database.ts';
import { scopeCondition, type Scope } from '../declarations/scope.ts';
import type { StatsLabels } from './labels.ts';
import { cents, keysOf, perPeriod, sum, type CellRow } from './series.ts';
import type { PeriodUnit, StatsWindow } from './window.ts';

export const DeclarationDimension = {
  Section: 'section',
  Chapter: 'chapter',
  Origin: 'origin',
  Office: 'office',
  Lane: 'lane',
} as const;
export type DeclarationDimension = (typeof DeclarationDimension)[keyof typeof DeclarationDimension];
export const declarationDimensions: readonly DeclarationDimension[] = Object.values(DeclarationDimension);

export interface DeclarationStatsQuery {
  window: StatsWindow;
  by: DeclarationDimension | null;
  /** The currency whose values are added; the most common one in the window when null. */
  currency: string | null;
  /** How many keys get a series of their own; the rest share one. */
  top: number;
  scope: Scope;
}

export interface DeclarationMeasures {
  declarations: number;
  value: number;
  /** The duty of the declarations in the currency. */
  duty: number;
}

/** One key's series; `key` null stands for every key outside the top. */
export interface DeclarationSeries {
  key: string | null;
  label: string;
  total: DeclarationMeasures;
  declarations: number[];
  value: number[];
  duty: number[];
}

export interface DeclarationStats {
  from: string;
  to: string;
  period: PeriodUnit;
  by: DeclarationDimension | null;
  /** The currency of every value; null when the window holds no declaration. */
  currency: string | null;
  /** The currencies declared in the window, most declarations first. */
  currencies: { currency: string; declarations: number }[];
  /** The first day of each period. */
  periods: string[];
  total: DeclarationMeasures & { cancelled: number };
  /** Every declaration per period, whatever its key. */
  perPeriod: { declarations: number[]; value: number[]; duty: number[]; cancelled: number[] };
  series: DeclarationSeries[];
  /** How many keys share the last series. */
  otherKeys: number;
}

/** The key of each dimension, from declaration `d`, item `i` and chapter-to-section table `hs`. */
const keySql: Record<DeclarationDimension, string> = {
  section: "coalesce(hs.section, '')",
  chapter: "coalesce(left(i.hs_code, 2), '')",
  origin: "coalesce(i.origin_country, d.origin_country, '')",
  office: 'd.office',
  lane: "coalesce(d.lane, '')",
};

const periodOf = (param: number) => `date_trunc($${param}::text, d.date::timestamp)::date`;

interface CountRow {
  period: string | null;
  currency: string | null;
  declarations: number;
  cancelled: number;
}

/** Declarations and cancelled ones per period, and declarations per currency: the table alone. */
async function counts(sql: Sql, query: DeclarationStatsQuery): Promise<CountRow[]> {
  const params: unknown[] = [query.window.from, query.window.to, query.window.period];
  return sql.query<CountRow>(
    `SELECT ${periodOf(3)} AS period, d.currency,
            count(*) FILTER (WHERE d.status <> 'cancelled')::int8 AS declarations,
            count(*) FILTER (WHERE d.status = 'cancelled')::int8 AS cancelled
     FROM declarations d
     WHERE d.date BETWEEN $1::date AND $2::date AND ${scopeCondition(query.scope, params)}
     GROUP BY GROUPING SETS ((1), (2))`,
    params,
  );
}

/**
 * The declarations of the window within the scope and their items, cancelled ones left out:
 * `$1` from, `$2` to, `$3` currency, then the chapter-to-section table and the scope.
 */
function source(query: DeclarationStatsQuery, currency: string | null, labels: StatsLabels) {
  const { window, by, scope } = query;
  const params: unknown[] = [window.from, window.to, currency];
  let from = 'declarations d LEFT JOIN declaration_items i ON i.declaration_id = d.id';
  if (by === DeclarationDimension.Section) {
    params.push(
      labels.chapterSections.map(([chapter]) => chapter),
      labels.chapterSections.map(([, section]) => section),
    );
    from +=
      ' LEFT JOIN unnest($4::text[], $5::text[]) AS hs(chapter, section) ON hs.chapter = left(i.hs_code, 2)';
  }
  const where = `d.date BETWEEN $1::date AND $2::date AND d.status <> 'cancelled'
    AND ${scopeCondition(scope, params)}`;
  return { params, from, where };
}

/** The value and duty of the declarations in the currency per period. */
async function valuePerPeriod(
  sql: Sql,
  query: DeclarationStatsQuery,
  currency: string,
  labels: StatsLabels,
): Promise<{ period: string; value: number; duty: number }[]> {
  const { params, from, where } = source(query, currency, labels);
  params.push(query.window.period);
  return sql.query<{ period: string; value: number; duty: number }>(
    `SELECT ${periodOf(params.length)} AS period, coalesce(sum(i.value), 0) AS value,
            coalesce(sum(${itemDutySql('i', 'd')}), 0) AS duty
     FROM ${from} WHERE ${where} AND d.currency = $3::text
     GROUP BY 1`,
    params,
  );
}

interface ValueCell extends CellRow {
  declarations: number;
  value: number;
  duty: number;
}

/**
 * Per period, the declarations and value of each of the `top` keys with the most declarations
 * (then the highest value), and of the other keys together. A declaration counts once per key,
 * and once among the other keys however many of them its items have.
 */
async function cells(
  sql: Sql,
  query: DeclarationStatsQuery,
  by: DeclarationDimension,
  currency: string | null,
  labels: StatsLabels,
): Promise<ValueCell[]> {
  const { params, from, where } = source(query, currency, labels);
  params.push(query.window.period, query.top);
  const top = `$${params.length}::int`;
  return sql.query<ValueCell>(
    `WITH keyed AS MATERIALIZED (
       SELECT d.id, ${periodOf(params.length - 1)} AS period, ${keySql[by]} AS key,
              coalesce(sum(i.value) FILTER (WHERE d.currency = $3::text), 0) AS value,
              coalesce(sum(${itemDutySql('i', 'd')}) FILTER (WHERE d.currency = $3::text), 0) AS duty
       FROM ${from} WHERE ${where}
       GROUP BY 1, 2, 3),
     ranked AS (
       SELECT key, row_number() OVER (ORDER BY count(*) DESC, sum(value) DESC, key)::int AS rank
       FROM keyed GROUP BY key)
     SELECT k.period, r.rank, r.key, (SELECT count(*) FROM ranked)::int8 AS keys,
            count(*)::int8 AS declarations, sum(k.value) AS value, sum(k.duty) AS duty
     FROM keyed k JOIN ranked r ON r.key = k.key AND r.rank <= ${top}
     GROUP BY 1, 2, 3
     UNION ALL
     -- a declaration with items under several of the other keys counts once among them
     SELECT k.period, NULL, NULL, (SELECT count(*) FROM ranked)::int8,
            count(DISTINCT k.id)::int8, sum(k.value), sum(k.duty)
     FROM keyed k JOIN ranked r ON r.key = k.key AND r.rank > ${top}
     GROUP BY 1`,
    params,
  );
}

function labelOf(by: DeclarationDimension, key: string, labels: StatsLabels): string {
  switch (by) {
    case DeclarationDimension.Section:
      return key === '' ? 'Not an HS chapter' : labels.section(key);
    case DeclarationDimension.Chapter:
      return key === '' ? 'No goods items' : labels.chapter(key);
    case DeclarationDimension.Origin:
      return key === '' ? 'Origin not declared' : labels.country(key);
    case DeclarationDimension.Office:
      return key;
    case DeclarationDimension.Lane:
      return key === '' ? 'Not assessed' : key.charAt(0).toUpperCase() + key.slice(1);
  }
}

/**
 * The number, value and duty of declarations per period of the window, and per key when `by` is given:
 * the `top` keys with the most declarations each get a series, the others share a last series
 * (key null) so that a chart stays readable. The statements run one after another, as a
 * single-connection database needs.
 */
export async function declarationStatistics(
  sql: Sql,
  query: DeclarationStatsQuery,
  labels: StatsLabels,
): Promise<DeclarationStats> {
  const { window, by } = query;
  const countRows = await counts(sql, query);
  const currencies = countRows
    .filter((r): r is CountRow & { currency: string } => r.currency !== null && r.declarations > 0)
    .map(({ currency, declarations }) => ({ currency, declarations }))
    .sort((a, b) => b.declarations - a.declarations || a.currency.localeCompare(b.currency));
  const currency = query.currency ?? currencies[0]?.currency ?? null;
  const byPeriod = countRows.filter((r) => r.currency === null);
  const declarations = perPeriod(window.periods, byPeriod, (r) => r.declarations);
  const cancelled = perPeriod(window.periods, byPeriod, (r) => r.cancelled);

  let value: number[];
  let duty: number[];
  let series: DeclarationSeries[] = [];
  let otherKeys = 0;
  if (by) {
    const rows = await cells(sql, query, by, currency, labels);
    const found = keysOf(rows);
    otherKeys = found.otherKeys;
    series = found.keys.map((key) => {
      const ofKey = rows.filter((r) => r.key === key);
      const counted = perPeriod(window.periods, ofKey, (r) => r.declarations);
      const valued = perPeriod(window.periods, ofKey, (r) => r.value).map(cents);
      const owed = perPeriod(window.periods, ofKey, (r) => r.duty).map(cents);
      return {
        key,
        label: key === null ? `Other (${otherKeys})` : labelOf(by, key, labels),
        total: { declarations: sum(counted), value: cents(sum(valued)), duty: cents(sum(owed)) },
        declarations: counted,
        value: valued,
        duty: owed,
      };
    });
    value = perPeriod(window.periods, rows, (r) => r.value).map(cents);
    duty = perPeriod(window.periods, rows, (r) => r.duty).map(cents);
  } else if (currency) {
    const rows = await valuePerPeriod(sql, query, currency, labels);
    value = perPeriod(window.periods, rows, (r) => r.value).map(cents);
    duty = perPeriod(window.periods, rows, (r) => r.duty).map(cents);
  } else {
    value = window.periods.map(() => 0);
    duty = window.periods.map(() => 0);
  }
  return {
    from: window.from,
    to: window.to,
    period: window.period,
    by,
    currency,
    currencies,
    periods: window.periods,
    total: {
      declarations: sum(declarations),
      value: cents(sum(value)),
      duty: cents(sum(duty)),
      cancelled: sum(cancelled),
    },
    perPeriod: { declarations, value, duty, cancelled },
    series,
    otherKeys,
  };
}

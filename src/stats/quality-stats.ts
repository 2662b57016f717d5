/**
 * Data quality over time: the findings (warnings) stored with accepted declarations, per period,
 * by field, by finding code or by trader, and the share of declarations with at least one.
 *
 * A field is its path with item numbers taken out (`items[3].hsCode` is `items[].hsCode`), so the
 * same field of every item adds up. Cancelled declarations are left out.
 */
import type { Sql } from '../db/database.ts';
import { scopeCondition, type Scope } from '../declarations/scope.ts';
import type { StatsLabels } from './labels.ts';
import { keysOf, perPeriod, sum, type CellRow } from './series.ts';
import type { PeriodUnit, StatsWindow } from './window.ts';

export const QualityDimension = { Field: 'field', Code: 'code', Trader: 'trader' } as const;
export type QualityDimension = (typeof QualityDimension)[keyof typeof QualityDimension];
export const qualityDimensions: readonly QualityDimension[] = Object.values(QualityDimension);

export interface QualityStatsQuery {
  window: StatsWindow;
  by: QualityDimension;
  top: number;
  scope: Scope;
}

/** One key's findings; `key` null stands for every key outside the top. */
export interface QualitySeries {
  key: string | null;
  label: string;
  total: { findings: number; declarations: number };
  findings: number[];
  /** declarations with at least one finding of this key */
  declarations: number[];
}

export interface QualityStats {
  from: string;
  to: string;
  period: PeriodUnit;
  by: QualityDimension;
  periods: string[];
  total: { declarations: number; withFindings: number; findings: number; share: number | null };
  perPeriod: {
    declarations: number[];
    withFindings: number[];
    findings: number[];
    /** withFindings / declarations; null in a period without declarations */
    share: (number | null)[];
  };
  series: QualitySeries[];
  otherKeys: number;
}

/** The key of each dimension, from declaration `d` and finding `f`. */
const keySql: Record<QualityDimension, string> = {
  field: "regexp_replace(coalesce(f->>'path', ''), '\\[[0-9]+\\]', '[]', 'g')",
  code: "coalesce(f->>'code', '')",
  trader: 'd.trader_id',
};

/** `$1` from, `$2` to, `$3` period unit, then the scope. */
function source(query: QualityStatsQuery) {
  const params: unknown[] = [query.window.from, query.window.to, query.window.period];
  const where = `d.date BETWEEN $1::date AND $2::date AND d.status <> 'cancelled'
    AND ${scopeCondition(query.scope, params)}`;
  return { params, where, period: 'date_trunc($3::text, d.date::timestamp)::date' };
}

interface TotalRow {
  period: string;
  declarations: number;
  withFindings: number;
  findings: number;
}

async function totals(sql: Sql, query: QualityStatsQuery): Promise<TotalRow[]> {
  const { params, where, period } = source(query);
  return sql.query<TotalRow>(
    `SELECT ${period} AS period, count(*)::int8 AS declarations,
            count(*) FILTER (WHERE d.findings <> '[]'::jsonb)::int8 AS "withFindings",
            coalesce(sum(jsonb_array_length(d.findings)), 0)::int8 AS findings
     FROM declarations d WHERE ${where}
     GROUP BY 1`,
    params,
  );
}

interface FindingCell extends CellRow {
  findings: number;
  declarations: number;
}

/**
 * Per period, the findings of each of the `top` keys with the most findings and of the other keys
 * together, and how many declarations have them (once each, however many findings they have).
 */
async function cells(sql: Sql, query: QualityStatsQuery): Promise<FindingCell[]> {
  const { params, where, period } = source(query);
  params.push(query.top);
  const top = `$${params.length}::int`;
  return sql.query<FindingCell>(
    `WITH found AS MATERIALIZED (
       SELECT d.id, ${period} AS period, ${keySql[query.by]} AS key
       FROM declarations d CROSS JOIN LATERAL jsonb_array_elements(d.findings) f
       WHERE ${where} AND d.findings <> '[]'::jsonb),
     ranked AS (
       SELECT key, row_number() OVER (ORDER BY count(*) DESC, key)::int AS rank FROM found GROUP BY key)
     SELECT f.period, CASE WHEN r.rank <= ${top} THEN r.rank END AS rank,
            CASE WHEN r.rank <= ${top} THEN r.key END AS key, (SELECT count(*) FROM ranked)::int8 AS keys,
            count(*)::int8 AS findings, count(DISTINCT f.id)::int8 AS declarations
     FROM found f JOIN ranked r ON r.key = f.key
     GROUP BY 1, 2, 3`,
    params,
  );
}

function labelOf(by: QualityDimension, key: string, labels: StatsLabels): string {
  switch (by) {
    case QualityDimension.Field:
      return key === '' ? 'The whole declaration' : labels.field(key);
    case QualityDimension.Code:
    case QualityDimension.Trader:
      return key;
  }
}

const shareOf = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * Findings per period of the window, the `top` keys with the most findings each in a series and
 * the others together in a last one. The statements run one after another, as a single-connection
 * database needs.
 */
export async function qualityStatistics(
  sql: Sql,
  query: QualityStatsQuery,
  labels: StatsLabels,
): Promise<QualityStats> {
  const { window, by } = query;
  const totalRows = await totals(sql, query);
  const declarations = perPeriod(window.periods, totalRows, (r) => r.declarations);
  const withFindings = perPeriod(window.periods, totalRows, (r) => r.withFindings);
  const findings = perPeriod(window.periods, totalRows, (r) => r.findings);
  const rows = sum(findings) > 0 ? await cells(sql, query) : [];
  const { keys, otherKeys } = keysOf(rows);
  const total = { declarations: sum(declarations), withFindings: sum(withFindings), findings: sum(findings) };
  return {
    from: window.from,
    to: window.to,
    period: window.period,
    by,
    periods: window.periods,
    total: { ...total, share: shareOf(total.withFindings, total.declarations) },
    perPeriod: {
      declarations,
      withFindings,
      findings,
      share: declarations.map((n, i) => shareOf(withFindings[i] ?? 0, n)),
    },
    series: keys.map((key) => {
      const ofKey = rows.filter((r) => r.key === key);
      const counted = perPeriod(window.periods, ofKey, (r) => r.findings);
      const declared = perPeriod(window.periods, ofKey, (r) => r.declarations);
      return {
        key,
        label: key === null ? `Other (${otherKeys})` : labelOf(by, key, labels),
        total: { findings: sum(counted), declarations: sum(declared) },
        findings: counted,
        declarations: declared,
      };
    }),
    otherKeys,
  };
}

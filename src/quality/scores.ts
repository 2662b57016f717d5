/**
 * Data-quality scores from the counters validation keeps (declarations/quality-counts.ts), per
 * field or per trader, per period, with the trend from one period to the next.
 *
 * A score is the share of checks that found nothing wrong, per dimension:
 * - of a field: 1 - (declarations that failed the field) / (declarations validated);
 * - of a trader: 1 - (failed fields, summed) / (declarations validated x fields of the dictionary),
 *   i.e. the share of its (declaration, field) pairs that were sound; restricted to one field, the
 *   field's score among the trader's declarations.
 * `overall` is the mean of the three dimensions. A period without validations has no score (null).
 * The trend is the last period's score minus the score of the period before it that had
 * validations, null when fewer than two periods had any.
 */
import type { Sql } from '../db/database.ts';
import { dimensions, type Dimension } from '../declarations/quality-counts.ts';
import { scopeCondition, type Scope } from '../declarations/scope.ts';
import type { StatsWindow } from '../stats/window.ts';

export const ScoreKey = { Field: 'field', Trader: 'trader' } as const;
export type ScoreKey = (typeof ScoreKey)[keyof typeof ScoreKey];
export const scoreKeys: readonly ScoreKey[] = Object.values(ScoreKey);

export interface ScoresQuery {
  window: StatsWindow;
  by: ScoreKey;
  scope: Scope;
  /** Only this field (by trader) or only this trader (by field). */
  field?: string;
  trader?: string;
  /** The fields of the data dictionary: each is listed by field even when nothing failed it. */
  fields: readonly string[];
}

export type Scores = Record<Dimension | 'overall', number | null>;

export interface PeriodScore extends Scores {
  period: string;
  checked: number;
}

export interface ScoreRow {
  key: string;
  /** Declarations validated in the window. */
  checked: number;
  /** Declarations that failed (by field), or failed fields summed (by trader), per dimension. */
  failed: Record<Dimension, number>;
  scores: Scores;
  trend: Scores;
  periods: PeriodScore[];
}

export interface QualityScores {
  from: string;
  to: string;
  period: StatsWindow['period'];
  by: ScoreKey;
  items: ScoreRow[];
}

interface CountRow {
  period: string;
  key: string;
  base: boolean;
  checked: number;
  missing: number;
  invalid: number;
  inconsistent: number;
}

async function countRows(sql: Sql, q: ScoresQuery): Promise<CountRow[]> {
  const params: unknown[] = [q.window.from, q.window.to, q.window.period];
  const where = [`d.day BETWEEN $1::date AND $2::date`, scopeCondition(q.scope, params)];
  if (q.field !== undefined) {
    params.push(q.field);
    where.push(`d.field IN ('', $${params.length})`);
  }
  if (q.trader !== undefined) {
    params.push(q.trader);
    where.push(`d.trader_id = $${params.length}`);
  }
  const key = q.by === ScoreKey.Field ? 'd.field' : 'd.trader_id';
  return sql.query<CountRow>(
    `SELECT to_char(date_trunc($3::text, d.day::timestamp), 'YYYY-MM-DD') AS period, ${key} AS key,
            d.field = '' AS base, sum(d.checked)::float8 AS checked, sum(d.missing)::float8 AS missing,
            sum(d.invalid)::float8 AS invalid, sum(d.inconsistent)::float8 AS inconsistent
     FROM quality_counts d WHERE ${where.join(' AND ')}
     GROUP BY 1, 2, 3`,
    params,
  );
}

interface Cell {
  checked: number;
  failed: Record<Dimension, number>;
}

const emptyCell = (): Cell => ({ checked: 0, failed: { completeness: 0, validity: 0, consistency: 0 } });

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

const noScores: Scores = { completeness: null, validity: null, consistency: null, overall: null };

/** The scores of a cell, unrounded (trends are taken before rounding). */
function scoresOf(cell: Cell, perCheck: number): Scores {
  const opportunities = cell.checked * perCheck;
  if (opportunities === 0) return noScores;
  const s = (d: Dimension) => Math.max(0, 1 - cell.failed[d] / opportunities);
  const overall = (s('completeness') + s('validity') + s('consistency')) / 3;
  return { completeness: s('completeness'), validity: s('validity'), consistency: s('consistency'), overall };
}

const mapScores = (s: Scores, f: (n: number) => number): Scores => ({
  completeness: s.completeness === null ? null : f(s.completeness),
  validity: s.validity === null ? null : f(s.validity),
  consistency: s.consistency === null ? null : f(s.consistency),
  overall: s.overall === null ? null : f(s.overall),
});

function trendOf(periods: readonly Scores[]): Scores {
  const scored = periods.filter((p) => p.overall !== null);
  const last = scored.at(-1);
  const before = scored.at(-2);
  if (!last || !before) return noScores;
  const change = (k: keyof Scores) => {
    const a = last[k];
    const b = before[k];
    return a === null || b === null ? null : round(a - b);
  };
  return {
    completeness: change('completeness'),
    validity: change('validity'),
    consistency: change('consistency'),
    overall: change('overall'),
  };
}

function addFailures(cell: Cell, row: CountRow): void {
  cell.failed.completeness += row.missing;
  cell.failed.validity += row.invalid;
  cell.failed.consistency += row.inconsistent;
}

/**
 * The scores of every key in the window, lowest overall first. The declarations validated are the
 * rows of field '' (declarations/quality-counts.ts); by field, every field shares them.
 */
export async function qualityScores(sql: Sql, q: ScoresQuery): Promise<QualityScores> {
  const rows = await countRows(sql, q);
  const periods = q.window.periods;
  // per key, per period index
  const cells = new Map<string, Cell[]>();
  const cellOf = (key: string, period: string): Cell | undefined => {
    const i = periods.indexOf(period);
    if (i < 0) return undefined;
    let row = cells.get(key);
    if (!row) {
      row = periods.map(emptyCell);
      cells.set(key, row);
    }
    return row[i];
  };
  let perCheck = 1;
  if (q.by === ScoreKey.Field) {
    const validated = periods.map(() => 0);
    for (const r of rows) {
      const i = periods.indexOf(r.period);
      if (r.base && i >= 0) validated[i] = (validated[i] ?? 0) + r.checked;
    }
    const keys = new Set(q.field === undefined ? q.fields : [q.field]);
    for (const r of rows) if (!r.base) keys.add(r.key);
    for (const key of keys) for (const p of periods) cellOf(key, p);
    for (const r of rows) if (!r.base) addFailures(cellOf(r.key, r.period) ?? emptyCell(), r);
    for (const row of cells.values()) row.forEach((c, i) => (c.checked = validated[i] ?? 0));
  } else {
    perCheck = q.field === undefined ? Math.max(1, q.fields.length) : 1;
    for (const r of rows) {
      const cell = cellOf(r.key, r.period);
      if (!cell) continue;
      if (r.base) cell.checked += r.checked;
      else addFailures(cell, r);
    }
  }
  const items = [...cells].map(([key, perPeriod]): ScoreRow => {
    const total = emptyCell();
    for (const c of perPeriod) {
      total.checked += c.checked;
      for (const d of dimensions) total.failed[d] += c.failed[d];
    }
    const raw = perPeriod.map((c) => scoresOf(c, perCheck));
    return {
      key,
      checked: total.checked,
      failed: total.failed,
      scores: mapScores(scoresOf(total, perCheck), round),
      trend: trendOf(raw),
      periods: raw.map((s, i) => ({
        period: periods[i] ?? '',
        checked: perPeriod[i]?.checked ?? 0,
        ...mapScores(s, round),
      })),
    };
  });
  items.sort(
    (a, b) =>
      (a.scores.overall ?? 2) - (b.scores.overall ?? 2) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return { from: q.window.from, to: q.window.to, period: q.window.period, by: q.by, items };
}

/**
 * The Time Release Study (WCO TRS Guide): for every released declaration whose release falls in a
 * window, the minutes between its stages as its events give them (kept in clearance_times with its
 * group keys and trader when it is released, migration 0037), and per group and stage the count, the
 * exact mean, median and 90th percentile of the minutes rounded to whole minutes (interpolated as
 * percentile_cont does), an exact histogram and share within target times, computed in one statement
 * from the distribution of counts per whole minute, scoped like every declaration read.
 */
import type { Database } from '../db/database.ts';
import { scopeCondition, type Scope } from '../declarations/scope.ts';

import { stageColumns, stages, type StageKey } from './times-stages.ts';
import { rangesOutside, summariseClosedMonths, wholeMonths, type SummaryDimension } from './times-summary.ts';

export { stages, type StageKey };

export const timeDimensions = ['office', 'lane', 'mode', 'section', 'trader', 'period'] as const;
export type TimeDimension = (typeof timeDimensions)[number];

/**
 * The histogram's edges in minutes: bucket 0 holds what is below 0 (lodged before arrival), bucket i
 * [edges[i-1], edges[i]), the last one a week and more (PostgreSQL's width_bucket).
 */
export const histogramEdges = [0, 15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 10080] as const;

export const maxTargets = 5;
/** A target beyond a year is no target. */
export const maxTargetMinutes = 525_600;
export const maxTop = 50;

export interface TimesQuery {
  /** Release days, inclusive, `YYYY-MM-DD` (UTC). */
  from: string;
  to: string;
  by: TimeDimension | null;
  /** The period unit when `by` is period. */
  period: 'week' | 'month';
  /** Target times in minutes, ascending. */
  targets: readonly number[];
  /** How many groups (most declarations first) get a row of their own; the rest share one. */
  top: number;
  scope: Scope;
  /** Every HS chapter with the roman numeral of its section, for `by` section. */
  chapterSections: readonly (readonly [string, string])[];
}

export interface StageStats {
  stage: StageKey;
  count: number;
  /** Minutes, rounded to hundredths; null without a declaration. */
  mean: number | null;
  median: number | null;
  p90: number | null;
  /** Declarations per bucket of histogramEdges (length edges + 1). */
  histogram: number[];
  /** For each target, the share of the stage's declarations within it (minutes ≤ target). */
  withinTargets: number[];
  /** The stage's minutes added up (negatives as 0): what it contributes to the total. */
  sumMinutes: number;
}

export interface GroupTimes {
  /** The group's key; null for the group adding up every key outside the top. */
  key: string | null;
  declarations: number;
  stages: StageStats[];
  /** The main stage adding the most minutes, and its share of the total's minutes. */
  biggest: { stage: StageKey; share: number | null } | null;
}

export interface TimesResult {
  overall: GroupTimes;
  groups: GroupTimes[];
  /** How many keys the null group adds up. */
  otherKeys: number;
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

/** The key of a dimension from the times `p` (clearance_times, which holds the keys as at release). */
function groupKey(by: TimeDimension | null, period: string, params: unknown[]): string {
  switch (by) {
    case null:
      return "''";
    case 'office':
      return 'p.office';
    case 'lane':
      return "coalesce(p.lane, '')";
    case 'mode':
      return "coalesce(p.transport_mode, '')";
    case 'trader':
      return 'p.trader_id';
    case 'period':
      params.push(period);
      return `to_char(date_trunc($${params.length}, p.released AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
    case 'section':
      return "coalesce(hs.section, '')";
  }
}

/** Where a window's times are read: whole summarised months, and the ranges of release moments row by row. */
export interface TimesSource {
  /** First days of the months read from clearance_times_summary (migration 0039). */
  months: readonly string[];
  /** Half-open ranges of release moments (ISO) read from clearance_times. */
  ranges: readonly (readonly [string, string])[];
}

/** The summary's dimension and key (in `s`, clearance_times_summary) of a dimension; none for trader. */
function summaryKey(
  by: TimeDimension | null,
  period: string,
): { dimension: SummaryDimension; key: string } | null {
  switch (by) {
    case null:
      return { dimension: '', key: "''" };
    case 'office':
    case 'lane':
    case 'mode':
      return { dimension: by, key: 's.key' };
    case 'section':
      return { dimension: 'chapter', key: "coalesce(hs.section, '')" };
    case 'period':
      return period === 'week'
        ? { dimension: 'week', key: 's.key' }
        : { dimension: '', key: "to_char(s.month, 'YYYY-MM-DD')" };
    case 'trader':
      return null;
  }
}

/** Whether the summary can answer the query: every declaration's times, by a dimension it keeps. */
export const summarisable = (q: Pick<TimesQuery, 'by' | 'period' | 'scope'>): boolean =>
  q.scope.kind === 'all' && summaryKey(q.by, q.period) !== null;

/**
 * The statement. The times of the declarations released in the source's ranges (clearance_times,
 * migration 0037: no join, the keys and the scope are there) and the distributions of its summarised
 * months (clearance_times_summary, migration 0039, which holds the same counts per dimension); each
 * group of the top kept and the rest as one, then the distribution: per group, stage and whole minute
 * (rounded) the count, the exact minutes added up, and how many lie below or at that minute, so that
 * histograms and targets stay exact. The overall distribution adds the groups' up. From the
 * distribution's cumulative counts (a few hundred thousand rows at most, not millions of values) come
 * the order statistics around each percentile, finished in `percentile`. One row per group (or
 * overall) and stage.
 */
export function timesStatement(q: TimesQuery, source: TimesSource): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const ranges = source.ranges.map(
    ([lo, hi]) => `(p.released >= ${add(lo)}::timestamptz AND p.released < ${add(hi)}::timestamptz)`,
  );
  // the same rule as declarations/scope.ts, on the trader kept at release
  const scope = scopeCondition(q.scope, params).replace(/\bd\.trader_id\b/g, 'p.trader_id');
  const key = groupKey(q.by, q.period, params);
  const summary = source.months.length > 0 ? summaryKey(q.by, q.period) : null;
  const dimension = summary ? add(summary.dimension) : '';
  const months = summary ? add(source.months) : '';
  let sections = (_alias: string) => '';
  if (q.by === 'section') {
    const chapters = add(q.chapterSections.map(([c]) => c));
    const names = add(q.chapterSections.map(([, s]) => s));
    sections = (alias) => `LEFT JOIN unnest(${chapters}::text[], ${names}::text[]) AS hs(chapter, section)
        ON hs.chapter = ${alias}`;
  }
  // the summary's rows of stage 0 (declarations per key) or of the stages, each read by its own range
  const summarised = (stage: string) =>
    summary
      ? `SELECT ${summary.key} AS g, s.stage::int AS i, s.minute AS v, s.n, s.below AS n_lt,
          s.at_or_below AS n_le, s.minutes, s.positive
        FROM clearance_times_summary s ${sections('s.key')}
        WHERE s.dimension = ${dimension} AND s.month = ANY(${months}::date[]) AND s.stage ${stage}`
      : `SELECT NULL::text AS g, 0 AS i, 0::float8 AS v, 0::bigint AS n, 0::bigint AS n_lt, 0::bigint AS n_le,
          0::float8 AS minutes, 0::float8 AS positive WHERE false`;
  const top = add(q.top);
  const targets = q.targets.map(add);
  const edges = `'{${histogramEdges.join(',')}}'::float8[]`;
  const columns = stages.map((st) => `p.${stageColumns[st.key]}`).join(', ');
  const within = targets.map(
    (t) => `coalesce(sum(n) FILTER (WHERE v < ${t}), 0) + coalesce(sum(n_le) FILTER (WHERE v = ${t}), 0)`,
  );
  const buckets = [...histogramEdges, 0].map(
    (_, b) =>
      `coalesce(sum(n_lt) FILTER (WHERE b_below = ${b}), 0) + coalesce(sum(n - n_lt) FILTER (WHERE b_at = ${b}), 0)`,
  );
  const grouped = q.by !== null;
  const gk = grouped ? 'k.g' : 'NULL::text';
  const text = `
    WITH per AS MATERIALIZED (
      SELECT ${key} AS g, ARRAY[${columns}] AS m
      FROM clearance_times p ${sections('p.chapter')}
      WHERE (${ranges.join(' OR ') || 'false'}) AND ${scope}
    ),
    keys AS (
      SELECT g, sum(n) AS n FROM (
        SELECT g, count(*) AS n FROM per GROUP BY g
        UNION ALL SELECT g, n FROM (${summarised('= 0')}) s
      ) k GROUP BY g
    ),
    ranked AS (SELECT g FROM keys ORDER BY n DESC, g LIMIT ${top}),
    parts AS (
      SELECT ${gk} AS gk, s.i::int AS i, round(s.m) AS v, count(*) AS n,
        count(*) FILTER (WHERE s.m < round(s.m)) AS n_lt, count(*) FILTER (WHERE s.m <= round(s.m)) AS n_le,
        sum(s.m) AS minutes, sum(greatest(s.m, 0)) AS positive
      FROM per p ${grouped ? 'LEFT JOIN ranked k ON k.g = p.g' : ''}
      CROSS JOIN LATERAL unnest(p.m) WITH ORDINALITY AS s(m, i)
      WHERE s.m IS NOT NULL
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${gk}, s.i, s.v, s.n, s.n_lt, s.n_le, s.minutes, s.positive
      FROM (${summarised('> 0')}) s ${grouped ? 'LEFT JOIN ranked k ON k.g = s.g' : ''}
    ),
    dist AS (
      SELECT gk, i, v, sum(n)::bigint AS n, sum(n_lt)::bigint AS n_lt, sum(n_le)::bigint AS n_le,
        sum(minutes) AS minutes, sum(positive) AS positive
      FROM parts GROUP BY 1, 2, 3
    ),
    every AS (
      ${grouped ? 'SELECT false AS overall, gk, i, v, n, n_lt, n_le, minutes, positive FROM dist UNION ALL' : ''}
      SELECT true AS overall, NULL::text AS gk, i, v, sum(n)::bigint AS n, sum(n_lt)::bigint AS n_lt,
        sum(n_le)::bigint AS n_le, sum(minutes) AS minutes, sum(positive) AS positive
      FROM dist GROUP BY i, v
    ),
    cumulative AS (
      SELECT e.*, sum(n) OVER (PARTITION BY overall, gk, i ORDER BY v) AS below,
        sum(n) OVER (PARTITION BY overall, gk, i) AS total,
        width_bucket(v - 0.5, ${edges}) AS b_below, width_bucket(v, ${edges}) AS b_at
      FROM every e
    )
    SELECT overall, gk AS key, i AS stage, max(total) AS count, sum(minutes) / sum(n) AS mean,
      sum(positive) AS sum,
      min(v) FILTER (WHERE below > floor(0.5 * (total - 1))) AS lo50,
      min(v) FILTER (WHERE below > ceil(0.5 * (total - 1))) AS hi50,
      min(v) FILTER (WHERE below > floor(0.9 * (total - 1))) AS lo90,
      min(v) FILTER (WHERE below > ceil(0.9 * (total - 1))) AS hi90,
      ARRAY[${within.join(', ')}]::bigint[] AS within,
      ARRAY[${buckets.join(', ')}]::bigint[] AS histogram,
      (SELECT count(*) FROM keys) AS keys_all
    FROM cumulative
    GROUP BY overall, gk, i`;
  return { text, params };
}

interface Row {
  overall: boolean;
  key: string | null;
  /** The stage's place in `stages`, from 1. */
  stage: number;
  count: number | string;
  mean: number | null;
  sum: number | null;
  lo50: number | null;
  hi50: number | null;
  lo90: number | null;
  hi90: number | null;
  within: (number | string)[];
  histogram: (number | string)[];
  keys_all: number | string;
}

/**
 * percentile_cont of the whole minutes: the order statistics at either side of position p·(n − 1),
 * interpolated.
 */
function percentile(p: number, n: number, lo: number | null, hi: number | null): number | null {
  if (n === 0 || lo === null || hi === null) return null;
  const r = p * (n - 1);
  return lo + (r - Math.floor(r)) * (hi - lo);
}

function stageStats(row: Row | undefined, stage: StageKey, targets: number): StageStats {
  const count = Number(row?.count ?? 0);
  const n = (v: number | string | undefined) => Number(v ?? 0);
  return {
    stage,
    count,
    mean: round(row?.mean ?? null),
    median: round(percentile(0.5, count, row?.lo50 ?? null, row?.hi50 ?? null)),
    p90: round(percentile(0.9, count, row?.lo90 ?? null, row?.hi90 ?? null)),
    histogram: [...histogramEdges, 0].map((_, b) => n(row?.histogram[b])),
    withinTargets: Array.from({ length: targets }, (_, t) =>
      count === 0 ? 0 : Math.round((n(row?.within[t]) / count) * 10000) / 10000,
    ),
    sumMinutes: round(row?.sum ?? 0) ?? 0,
  };
}

/** The main stage adding the most minutes, and its share of the total's minutes. */
function biggestOf(list: StageStats[]): GroupTimes['biggest'] {
  const total = list.find((s) => s.stage === 'total');
  let best: StageStats | undefined;
  for (const s of list)
    if (
      stages.find((m) => m.key === s.stage)?.main &&
      s.count > 0 &&
      (!best || s.sumMinutes > best.sumMinutes)
    )
      best = s;
  if (!best) return null;
  const share =
    total && total.sumMinutes > 0 ? Math.round((best.sumMinutes / total.sumMinutes) * 10000) / 10000 : null;
  return { stage: best.stage, share };
}

/** A group from its rows, one per stage that has minutes. */
function group(key: string | null, rows: Row[], targets: number): GroupTimes {
  const list = stages.map((s, i) =>
    stageStats(
      rows.find((r) => Number(r.stage) === i + 1),
      s.key,
      targets,
    ),
  );
  const declarations = list.find((s) => s.stage === 'total')?.count ?? 0;
  return { key, declarations, stages: list, biggest: biggestOf(list) };
}

/** `rows`: every release of the window read row by row, as for a trader (to compare with the summary). */
export type TimesRead = 'summary' | 'rows';

/** The Time Release Study of the window; groups with most declarations first, the rest last. */
export async function releaseTimes(
  db: Database,
  q: TimesQuery,
  read: TimesRead = 'summary',
): Promise<TimesResult> {
  const summary = read === 'summary' && summarisable(q) && wholeMonths(q.from, q.to).length > 0;
  if (summary) await summariseClosedMonths(db, q.from, q.to);
  const rows = await db.transaction(async (tx) => {
    // the summarised months and the statement in one snapshot: a month is read from one side only
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // the distribution's sorts in memory; compiling this one statement (JIT) costs more than it saves
    await tx.query("SET LOCAL work_mem = '256MB'");
    await tx.query('SET LOCAL jit = off');
    const months = summary
      ? (
          await tx.query<{ month: string }>(
            `SELECT to_char(month, 'YYYY-MM-DD') AS month FROM clearance_times_periods
             WHERE month = ANY($1::date[]) ORDER BY month`,
            [wholeMonths(q.from, q.to)],
          )
        ).map((r) => r.month)
      : [];
    const { text, params } = timesStatement(q, { months, ranges: rangesOutside(q.from, q.to, months) });
    return tx.query<Row>(text, params);
  });
  const targets = q.targets.length;
  const overall = group(
    null,
    rows.filter((r) => r.overall),
    targets,
  );
  if (q.by === null) return { overall, groups: [], otherKeys: 0 };
  const keyed = new Map<string | null, Row[]>();
  for (const r of rows.filter((x) => !x.overall)) keyed.set(r.key, [...(keyed.get(r.key) ?? []), r]);
  const groups = [...keyed].map(([key, list]) => group(key, list, targets));
  groups.sort((a, b) =>
    a.key === null ? 1 : b.key === null ? -1 : b.declarations - a.declarations || a.key.localeCompare(b.key),
  );
  const shown = groups.filter((g) => g.key !== null).length;
  return { overall, groups, otherKeys: Math.max(0, Number(rows[0]?.keys_all ?? 0) - shown) };
}

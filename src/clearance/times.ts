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

/** Each stage: the moments it lies between, as the events name them; `main` stages add up to the total. */
export const stages = [
  { key: 'arrivalToLodging', label: 'Arrival to lodging', main: true },
  { key: 'lodgingToAcceptance', label: 'Lodging to acceptance', main: true },
  { key: 'acceptanceToAssessment', label: 'Acceptance to assessment', main: true },
  { key: 'assessmentToRelease', label: 'Assessment to release', main: true },
  { key: 'total', label: 'Total (arrival, or lodging, to release)', main: false },
  { key: 'documentsRequestedToProvided', label: 'Documents requested to provided', main: false },
  { key: 'documentsProvidedToChecked', label: 'Documents provided to checked', main: false },
  { key: 'inspectionScheduledToStarted', label: 'Inspection scheduled to started', main: false },
  { key: 'inspectionStartedToCompleted', label: 'Inspection started to completed', main: false },
  { key: 'dutiesAssessedToPaid', label: 'Duties assessed to paid or guaranteed', main: false },
] as const;
export type StageKey = (typeof stages)[number]['key'];

/** Each stage's column of clearance_times (migration 0037): its minutes, null when a moment is missing. */
const stageColumns: Record<StageKey, string> = {
  arrivalToLodging: 'arrival_to_lodging',
  lodgingToAcceptance: 'lodging_to_acceptance',
  acceptanceToAssessment: 'acceptance_to_assessment',
  assessmentToRelease: 'assessment_to_release',
  total: 'total',
  documentsRequestedToProvided: 'documents_requested_to_provided',
  documentsProvidedToChecked: 'documents_provided_to_checked',
  inspectionScheduledToStarted: 'inspection_scheduled_to_started',
  inspectionStartedToCompleted: 'inspection_started_to_completed',
  dutiesAssessedToPaid: 'duties_assessed_to_paid',
};

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

/**
 * The statement. The times of the declarations released in the window (clearance_times, migration
 * 0037: no join, the keys and the scope are there), each group of the top kept and the rest as one,
 * then the distribution: per group, stage and whole minute (rounded) the count, the exact minutes added
 * up, and how many lie below or at that minute, so that histograms and targets stay exact. The overall
 * distribution adds the groups' up. From the distribution's cumulative counts (a few hundred thousand
 * rows at most, not millions of values) come the order statistics around each percentile, finished in
 * `percentile`. One row per group (or overall) and stage.
 */
export function timesStatement(q: TimesQuery): { text: string; params: unknown[] } {
  const params: unknown[] = [q.from, q.to];
  // the same rule as declarations/scope.ts, on the trader kept at release
  const scope = scopeCondition(q.scope, params).replace(/\bd\.trader_id\b/g, 'p.trader_id');
  const key = groupKey(q.by, q.period, params);
  let sections = '';
  if (q.by === 'section') {
    params.push(
      q.chapterSections.map(([c]) => c),
      q.chapterSections.map(([, s]) => s),
    );
    sections = `LEFT JOIN unnest($${params.length - 1}::text[], $${params.length}::text[]) AS hs(chapter, section)
        ON hs.chapter = p.chapter`;
  }
  params.push(q.top);
  const top = `$${params.length}`;
  const targets = q.targets.map((t) => {
    params.push(t);
    return `$${params.length}`;
  });
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
  const text = `
    WITH per AS MATERIALIZED (
      SELECT ${key} AS g, ARRAY[${columns}] AS m
      FROM clearance_times p ${sections}
      WHERE p.released >= $1::date::timestamp AT TIME ZONE 'UTC'
        AND p.released < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
        AND ${scope}
    ),
    keys AS (SELECT g, count(*) AS n FROM per GROUP BY g),
    ranked AS (SELECT g FROM keys ORDER BY n DESC, g LIMIT ${top}),
    dist AS (
      SELECT ${grouped ? 'k.g' : 'NULL::text'} AS gk, s.i, round(s.m) AS v, count(*) AS n,
        count(*) FILTER (WHERE s.m < round(s.m)) AS n_lt, count(*) FILTER (WHERE s.m <= round(s.m)) AS n_le,
        sum(s.m) AS minutes, sum(greatest(s.m, 0)) AS positive
      FROM per p ${grouped ? 'LEFT JOIN ranked k ON k.g = p.g' : ''}
      CROSS JOIN LATERAL unnest(p.m) WITH ORDINALITY AS s(m, i)
      WHERE s.m IS NOT NULL
      GROUP BY 1, 2, 3
    ),
    every AS (
      ${grouped ? 'SELECT false AS overall, gk, i, v, n, n_lt, n_le, minutes, positive FROM dist UNION ALL' : ''}
      SELECT true AS overall, NULL::text AS gk, i, v, sum(n) AS n, sum(n_lt) AS n_lt, sum(n_le) AS n_le,
        sum(minutes) AS minutes, sum(positive) AS positive
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

/** The Time Release Study of the window; groups with most declarations first, the rest last. */
export async function releaseTimes(db: Database, q: TimesQuery): Promise<TimesResult> {
  const { text, params } = timesStatement(q);
  const rows = await db.transaction(async (tx) => {
    // the distribution's sorts in memory; compiling this one statement (JIT) costs more than it saves
    await tx.query("SET LOCAL work_mem = '256MB'");
    await tx.query('SET LOCAL jit = off');
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

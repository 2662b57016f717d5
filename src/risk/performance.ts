/**
 * Risk performance, the read side of the feedback loop: how often targeted controls find
 * non-compliance compared with random ones, what the random sample says about every declaration,
 * each rule profile's precision, and how the score distribution drifts from period to period.
 *
 * A declaration counts once, by its latest assessment (its day, office, lane, score) and its latest
 * control result. Beside the revenue that controls recovered stands the duty the controlled
 * declarations owe by the tariff (clearance/duties.ts, the one rule), so that the two can be compared.
 */
import { itemDutySql } from '../clearance/duties.ts';
import type { Sql } from '../db/database.ts';
import { parseSupportedDay } from '../shared/day.ts';
import { err, ok, type Result } from '../shared/result.ts';

/** The length of a reporting period; a week starts on Monday (ISO 8601). */
export type PeriodUnit = 'day' | 'week' | 'month';
export const periodUnits: readonly PeriodUnit[] = ['day', 'week', 'month'];

/** The window as asked for: every field optional. */
export interface PerformanceQuery {
  from?: string;
  to?: string;
  period?: PeriodUnit;
  office?: string;
}

/** The window once defaults are applied and checked: days inclusive, `YYYY-MM-DD`. */
export interface PerformanceWindow {
  from: string;
  to: string;
  period: PeriodUnit;
  office: string | null;
}

/** Controls and findings of one group of declarations (targeted, random or other). */
export interface GroupStats {
  assessed: number;
  controlled: number;
  positives: number;
  /** positives / controlled, null when nothing was controlled */
  hitRate: number | null;
  /** revenue recovered by the results in force, one sum per currency (ISO 4217) that recovered any, in currency order */
  revenueRecovered: CurrencyAmount[];
  /** the duty of the controlled declarations, one sum per declaration currency that owes any, in currency order */
  controlledDuty: CurrencyAmount[];
}

/** An amount of one currency. */
export interface CurrencyAmount {
  currency: string;
  amount: number;
}

/** A proportion with its 95% Wilson score interval. */
export interface Interval {
  rate: number;
  low: number;
  high: number;
  n: number;
}

/** Targeting against the random sample, over a period or the whole window. */
export interface Outcomes {
  targeted: GroupStats;
  random: GroupStats;
  other: GroupStats;
  /** targeted hit rate / random hit rate */
  lift: number | null;
  /** the non-compliance rate of all declarations, estimated from the random controls */
  nonCompliance: Interval | null;
}

/** The score distribution of a period and its shift (population stability index). */
export interface Drift {
  n: number;
  mean: number;
  /** shares of the scores in 10 equal bins on [0, 1], the last one closed */
  histogram: number[];
  psiVsBaseline: number | null;
  psiVsPrevious: number | null;
  modelIds: number[];
}

/** One period, labelled by its first day. */
export interface PeriodReport extends Outcomes {
  period: string;
  drift: Drift;
}

/** What one profile version selected in the window, and what controls found there. */
export interface ProfilePrecision {
  id: number;
  code: string;
  version: number;
  status: string;
  selections: number;
  controls: number;
  positives: number;
  precision: number | null;
}

/** The report served by GET /api/risk/performance. */
export interface PerformanceReport extends PerformanceWindow {
  overall: Outcomes;
  periods: PeriodReport[];
  profiles: ProfilePrecision[];
}

/** The number of equal-width score bins of the drift histograms. */
export const scoreBins = 10;
/** The share that stands in for an empty bin in the PSI, so that its logarithm stays finite. */
export const psiEpsilon = 1e-4;
const z95 = 1.959963984540054;
const maxYears = 5;
const defaultMonths = 12;

/** The 95% Wilson score interval of `positives` out of `n`; null when n is 0. */
export function wilsonInterval(positives: number, n: number, z = z95): Interval | null {
  if (n <= 0) return null;
  const p = positives / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

/** The bin of a score in [0, 1] among `bins` equal bins; 1 falls in the last one. */
export const binOf = (score: number, bins = scoreBins): number =>
  Math.min(Math.max(Math.floor(score * bins), 0), bins - 1);

/** Counts as shares of their total; all zeros when the total is 0. */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** The histogram of scores in [0, 1] as shares per bin. */
export function histogram(scores: readonly number[], bins = scoreBins): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) {
    const bin = binOf(s, bins);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return shares(counts);
}

/** The population stability index of `actual` against `expected` (both shares per bin). */
export function psi(actual: readonly number[], expected: readonly number[], epsilon = psiEpsilon): number {
  if (actual.length !== expected.length) throw new Error('psi needs histograms with the same bins');
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = Math.max(actual[i] ?? 0, epsilon);
    const e = Math.max(expected[i] ?? 0, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** positives / controlled, null when nothing was controlled. */
export const rateOf = (positives: number, controlled: number): number | null =>
  controlled > 0 ? positives / controlled : null;

/** How many times more often targeting finds non-compliance than random selection. */
export const liftOf = (targeted: number | null, random: number | null): number | null =>
  targeted === null || random === null || random === 0 ? null : targeted / random;

/** The day as a UTC date, or null unless it is a supported calendar day written `YYYY-MM-DD`. */
const parseDay = parseSupportedDay;

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The first day of the month `months` months before the month of `day`. */
function monthsBefore(day: Date, months: number): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - months, 1));
}

function yearsAfter(day: Date, years: number): Date {
  const d = new Date(day);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/**
 * Applies the defaults (to: today; from: the first day of the month 11 months before `to`, so
 * 12 calendar months; period: month) and refuses bad dates, from after to and windows over 5 years.
 */
export function performanceWindow(
  query: PerformanceQuery,
  today: string,
): Result<PerformanceWindow, { code: 'invalid_request'; message: string }> {
  const invalid = (message: string) => err({ code: 'invalid_request' as const, message });
  const to = parseDay(query.to ?? today);
  if (!to) return invalid(`to must be a date written YYYY-MM-DD, not ${query.to}`);
  const from = query.from === undefined ? monthsBefore(to, defaultMonths - 1) : parseDay(query.from);
  if (!from) return invalid(`from must be a date written YYYY-MM-DD, not ${query.from}`);
  if (from > to) return invalid(`from ${dayOf(from)} is after to ${dayOf(to)}`);
  if (to >= yearsAfter(from, maxYears))
    return invalid(`the window from ${dayOf(from)} to ${dayOf(to)} is longer than ${maxYears} years`);
  const period = query.period ?? 'month';
  if (!periodUnits.includes(period)) return invalid(`period must be one of ${periodUnits.join(', ')}`);
  return ok({ from: dayOf(from), to: dayOf(to), period, office: query.office ?? null });
}

/** The declarations whose latest assessment falls in the window: $1 from, $2 to, $3 period, $4 office. */
const scoped = `scoped AS (
  SELECT a.declaration_id, a.score, a.lane, a.random, a.model_id,
         date_trunc($3::text, a.day::timestamp)::date AS period
  FROM risk_assessments a
  WHERE a.day BETWEEN $1::date AND $2::date
    AND ($4::text IS NULL OR a.office = $4::text)
    AND NOT EXISTS (SELECT 1 FROM risk_assessments b WHERE b.declaration_id = a.declaration_id AND b.id > a.id))`;

const latestControl = `LEFT JOIN LATERAL (
    SELECT r.outcome, r.revenue_recovered, r.revenue_currency FROM control_results r
    WHERE r.declaration_id = s.declaration_id AND r.superseded_at IS NULL
    ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) c ON true`;

type Group = 'targeted' | 'random' | 'other';

/** The group of a scoped declaration `s`. */
const groupSql = `CASE WHEN s.random THEN 'random' WHEN s.lane IN ('red', 'yellow') THEN 'targeted' ELSE 'other' END`;

/** Counts of one group in a period (or overall) and one currency of revenue (null: no revenue). */
interface OutcomeRow {
  period: string | null;
  overall: number;
  grp: Group;
  currency: string | null;
  assessed: number;
  controlled: number;
  positives: number;
  revenue: number;
}

const outcomesSql = `WITH ${scoped}, labelled AS (
    SELECT s.period, c.outcome, c.revenue_recovered,
           CASE WHEN c.revenue_recovered <> 0 THEN coalesce(c.revenue_currency, d.currency) END AS currency,
           ${groupSql} AS grp
    FROM scoped s ${latestControl}
    LEFT JOIN declarations d ON d.id = s.declaration_id AND c.revenue_recovered <> 0 AND c.revenue_currency IS NULL)
  SELECT period, grp, currency, grouping(period) AS overall,
         count(*)::int8 AS assessed,
         count(outcome)::int8 AS controlled,
         count(*) FILTER (WHERE outcome = 'non_compliant')::int8 AS positives,
         coalesce(sum(revenue_recovered), 0)::float8 AS revenue
  FROM labelled
  GROUP BY GROUPING SETS ((period, grp, currency), (grp, currency))`;

/** The duty of a group's controlled declarations in one currency, in a period or overall. */
interface DutyRow {
  period: string | null;
  overall: number;
  grp: Group;
  currency: string;
  duty: number;
}

const dutySql = `WITH ${scoped}, owed AS (
    SELECT s.period, ${groupSql} AS grp, d.currency, x.duty
    FROM scoped s ${latestControl}
    JOIN declarations d ON d.id = s.declaration_id
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(${itemDutySql('i', 'd')}), 0) AS duty
      FROM declaration_items i WHERE i.declaration_id = d.id) x
    WHERE c.outcome IS NOT NULL)
  SELECT period, grp, currency, grouping(period) AS overall, sum(duty)::float8 AS duty
  FROM owed
  GROUP BY GROUPING SETS ((period, grp, currency), (grp, currency))
  HAVING sum(duty) <> 0`;

interface DriftRow {
  period: string;
  bin: number | null;
  whole: number;
  n: number;
  mean: number;
  modelIds: number[];
}

const driftSql = `WITH ${scoped}
  SELECT period, bin, grouping(bin) AS whole, count(*)::int8 AS n, avg(score) AS mean,
         coalesce(jsonb_agg(DISTINCT model_id ORDER BY model_id) FILTER (WHERE model_id IS NOT NULL), '[]'::jsonb)
           AS "modelIds"
  FROM (SELECT period, score, model_id, least(floor(score * $5::int)::int, $5::int - 1) AS bin FROM scoped) s
  GROUP BY GROUPING SETS ((period, bin), (period))
  ORDER BY period`;

type ProfileRow = Omit<ProfilePrecision, 'precision'>;

const profilesSql = `WITH ${scoped}
  SELECT p.id, p.code, p.version, p.status,
         count(*)::int8 AS selections,
         count(c.outcome)::int8 AS controls,
         count(*) FILTER (WHERE c.outcome = 'non_compliant')::int8 AS positives
  FROM scoped s
  JOIN profile_hits h ON h.declaration_id = s.declaration_id
  JOIN risk_profiles p ON p.id = h.profile_id
  ${latestControl}
  GROUP BY p.id
  ORDER BY p.code, p.version`;

const byCurrency = (a: CurrencyAmount, b: CurrencyAmount) =>
  a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;

/** One group's figures from its rows, one per currency of revenue: counts add up, revenue does not. */
function groupStats(rows: readonly OutcomeRow[], duties: readonly DutyRow[]): GroupStats {
  let assessed = 0;
  let controlled = 0;
  let positives = 0;
  const revenueRecovered: CurrencyAmount[] = [];
  for (const row of rows) {
    assessed += row.assessed;
    controlled += row.controlled;
    positives += row.positives;
    if (row.currency !== null) revenueRecovered.push({ currency: row.currency, amount: row.revenue });
  }
  revenueRecovered.sort(byCurrency);
  const controlledDuty = duties.map(({ currency, duty }) => ({ currency, amount: duty })).sort(byCurrency);
  return {
    assessed,
    controlled,
    positives,
    hitRate: rateOf(positives, controlled),
    revenueRecovered,
    controlledDuty,
  };
}

/** Targeted, random and other controls of one period (or of the whole window) from its rows. */
function outcomesOf(rows: readonly OutcomeRow[], duties: readonly DutyRow[]): Outcomes {
  const find = (grp: Group) =>
    groupStats(
      rows.filter((r) => r.grp === grp),
      duties.filter((r) => r.grp === grp),
    );
  const targeted = find('targeted');
  const random = find('random');
  return {
    targeted,
    random,
    other: find('other'),
    lift: liftOf(targeted.hitRate, random.hitRate),
    nonCompliance: wilsonInterval(random.positives, random.controlled),
  };
}

interface PeriodScores {
  period: string;
  n: number;
  mean: number;
  histogram: number[];
  modelIds: number[];
}

/** The score histogram, mean and model ids of each period, in order, from the drift rows. */
function scoresByPeriod(rows: readonly DriftRow[]): PeriodScores[] {
  const byPeriod = new Map<string, { counts: number[]; whole?: DriftRow }>();
  for (const row of rows) {
    let entry = byPeriod.get(row.period);
    if (!entry) byPeriod.set(row.period, (entry = { counts: new Array<number>(scoreBins).fill(0) }));
    if (row.whole) entry.whole = row;
    else if (row.bin !== null) entry.counts[row.bin] = row.n;
  }
  return [...byPeriod].map(([period, { counts, whole }]) => ({
    period,
    n: whole?.n ?? 0,
    mean: whole?.mean ?? 0,
    histogram: shares(counts),
    modelIds: whole?.modelIds ?? [],
  }));
}

/** Adds to each period its PSI against the first period and against the one before. */
function withDrift(
  periods: readonly PeriodScores[],
): (PeriodScores & Pick<Drift, 'psiVsBaseline' | 'psiVsPrevious'>)[] {
  const baseline = periods[0];
  return periods.map((p, i) => {
    const previous = periods[i - 1];
    return {
      ...p,
      psiVsBaseline: i > 0 && baseline ? psi(p.histogram, baseline.histogram) : null,
      psiVsPrevious: previous ? psi(p.histogram, previous.histogram) : null,
    };
  });
}

/**
 * The performance report of a window: outcomes per period and overall, drift per period (the
 * baseline is the first period with assessments) and the precision of each profile version that
 * selected a declaration in the window. Periods without any assessment are left out.
 */
export async function riskPerformance(sql: Sql, window: PerformanceWindow): Promise<PerformanceReport> {
  const params = [window.from, window.to, window.period, window.office];
  const [outcomeRows, dutyRows, driftRows, profileRows] = await Promise.all([
    sql.query<OutcomeRow>(outcomesSql, params),
    sql.query<DutyRow>(dutySql, params),
    sql.query<DriftRow>(driftSql, [...params, scoreBins]),
    sql.query<ProfileRow>(profilesSql, params),
  ]);
  const periods = withDrift(scoresByPeriod(driftRows)).map(({ period, ...drift }) => ({
    period,
    ...outcomesOf(
      outcomeRows.filter((r) => !r.overall && r.period === period),
      dutyRows.filter((r) => !r.overall && r.period === period),
    ),
    drift,
  }));
  return {
    ...window,
    overall: outcomesOf(
      outcomeRows.filter((r) => r.overall),
      dutyRows.filter((r) => r.overall),
    ),
    periods,
    profiles: profileRows.map((p) => ({ ...p, precision: rateOf(p.positives, p.controls) })),
  };
}

/**
 * The Time Release Study's monthly summary (migration 0039, ADR 0026): for each closed calendar month
 * of release, per dimension, key, stage and whole minute, the counts and minutes the study's
 * distribution adds up. A study reads the whole summarised months of its window from here and only
 * the days at its edges (and months not summarised) row by row from clearance_times. A month is
 * summarised when a study first reads it closed (ended an hour ago and more), one transaction per
 * month under the month's exclusive advisory lock; a release or purge in the month deletes its
 * marker (the trigger of migration 0039), and the next study summarises it again.
 */
import type { Database, Sql } from '../db/database.ts';
import { stageColumns, stages } from './times-stages.ts';

/** The summary's dimensions and, for each, its key in clearance_times `p` (times.ts reads them back). */
export const summaryKeys = {
  '': "''",
  office: 'p.office',
  lane: "coalesce(p.lane, '')",
  mode: "coalesce(p.transport_mode, '')",
  chapter: "coalesce(p.chapter, '')",
  week: "to_char(date_trunc('week', p.released AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
} as const;
export type SummaryDimension = keyof typeof summaryKeys;

/** A month ends an hour and more before it is summarised: releases still being written are in. */
const closedAfter = '1 hour';

const day = 86_400_000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOf = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** A moment as PostgreSQL reads it; past the year 9999 (which ISO text cannot write), infinity. */
const moment = (ms: number) => (ms >= Date.UTC(10_000, 0, 1) ? 'infinity' : new Date(ms).toISOString());
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The calendar months (their first days) lying wholly within the release days `from` to `to`. */
export function wholeMonths(from: string, to: string): string[] {
  const start = startOf(from);
  const end = startOf(to) + day;
  const first = new Date(start).getUTCDate() === 1 ? start : nextMonth(start);
  const out: string[] = [];
  for (let m = first; nextMonth(m) <= end; m = nextMonth(m)) out.push(dayText(m));
  return out;
}

/**
 * The parts of the window outside the given months (which lie within it), as half-open ranges of
 * release moments, in order: what the study reads row by row.
 */
export function rangesOutside(from: string, to: string, months: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  let at = startOf(from);
  for (const m of [...months].sort()) {
    const start = startOf(m);
    if (start > at) out.push([moment(at), moment(start)]);
    at = nextMonth(start);
  }
  const end = startOf(to) + day;
  if (end > at) out.push([moment(at), moment(end)]);
  return out;
}

/** The advisory lock of a month (class 26; the trigger of migration 0039 takes it shared). */
const lockKey = (month: string) => {
  const d = new Date(startOf(month));
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** The whole months of the window that are closed and not summarised, summarised; each on its own. */
export async function summariseClosedMonths(db: Database, from: string, to: string): Promise<void> {
  const months = wholeMonths(from, to);
  if (months.length === 0) return;
  const missing = await db.query<{ month: string }>(
    `SELECT to_char(m, 'YYYY-MM-DD') AS month FROM unnest($1::date[]) AS m
     WHERE (m + interval '1 month')::timestamp AT TIME ZONE 'UTC' + interval '${closedAfter}' <= now()
       AND NOT EXISTS (SELECT 1 FROM clearance_times_periods c WHERE c.month = m)
     ORDER BY m`,
    [months],
  );
  // one transaction and one lock at a time: a summariser never holds a lock while waiting for another
  for (const { month } of missing) await db.transaction((tx) => summariseMonth(tx, month));
}

/** The statement summarising month $1: the study's distribution per dimension, key, stage and whole minute. */
const summariseStatement = (() => {
  const keys = Object.entries(summaryKeys)
    .map(([dimension, key]) => `('${dimension}', ${key})`)
    .join(', ');
  const from = `FROM clearance_times p CROSS JOIN LATERAL (VALUES ${keys}) AS k(dimension, key)`;
  const month = `p.released >= $1::date::timestamp AT TIME ZONE 'UTC'
    AND p.released < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'`;
  return `
    INSERT INTO clearance_times_summary
      (dimension, month, key, stage, minute, n, below, at_or_below, minutes, positive)
    SELECT k.dimension, $1::date, k.key, 0, 0, count(*), 0, 0, 0, 0 ${from} WHERE ${month}
    GROUP BY k.dimension, k.key
    UNION ALL
    SELECT k.dimension, $1::date, k.key, s.i, round(s.m), count(*),
      count(*) FILTER (WHERE s.m < round(s.m)), count(*) FILTER (WHERE s.m <= round(s.m)),
      sum(s.m), sum(greatest(s.m, 0))
    ${from} CROSS JOIN LATERAL unnest(ARRAY[${stages.map((st) => `p.${stageColumns[st.key]}`).join(', ')}])
      WITH ORDINALITY AS s(m, i)
    WHERE ${month} AND s.m IS NOT NULL
    GROUP BY k.dimension, k.key, s.i, round(s.m)`;
})();

/**
 * One month summarised, unless another summariser or a writer of a release in the month holds its lock
 * (the study then reads the month row by row) or it is summarised already.
 */
async function summariseMonth(tx: Sql, month: string): Promise<void> {
  const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(26, $1) AS locked', [
    lockKey(month),
  ]);
  if (!lock?.locked) return;
  // read after the lock: every release written in the month before it is committed and seen
  const done = await tx.query('SELECT 1 FROM clearance_times_periods WHERE month = $1::date', [month]);
  if (done.length > 0) return;
  await tx.query("SET LOCAL work_mem = '256MB'");
  await tx.query('SET LOCAL jit = off');
  await tx.query(
    'DELETE FROM clearance_times_summary WHERE dimension = ANY($1::text[]) AND month = $2::date',
    [Object.keys(summaryKeys), month],
  );
  await tx.query(summariseStatement, [month]);
  await tx.query('INSERT INTO clearance_times_periods (month) VALUES ($1::date)', [month]);
}

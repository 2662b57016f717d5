/**
 * A Time Release Study request read into checked windows and targets (every bad parameter named at
 * once), and the study of one or two windows with the groups labelled and the change per stage: what
 * GET /api/clearance/times, the Clearance time page and `clearway clearance report` show.
 */
import type { Database } from '../db/database.ts';
import type { Scope } from '../declarations/scope.ts';
import { supportedDayText } from '../shared/day.ts';
import { parseDay, statsWindow } from '../stats/window.ts';
import {
  histogramEdges,
  maxTargetMinutes,
  maxTargets,
  releaseTimes,
  stages,
  type GroupTimes,
  type TimeDimension,
  type TimesRead,
  type TimesResult,
} from './times.ts';
import type { TimesView } from './times-schema.ts';

export interface TimesParams {
  from?: string;
  to?: string;
  by?: TimeDimension;
  period?: 'week' | 'month';
  targets?: string;
  compareFrom?: string;
  compareTo?: string;
  top?: number;
}

export interface TimesRequest {
  from: string;
  to: string;
  by: TimeDimension | null;
  period: 'week' | 'month';
  targets: number[];
  top: number;
  compare: { from: string; to: string } | null;
}

export interface ParamProblem {
  field: string;
  message: string;
}

export const defaultTargets = [60, 1440];

/** The request checked: every problem found, each naming its parameter. */
export function timesRequest(
  p: TimesParams,
  today: string,
): { ok: true; value: TimesRequest } | { ok: false; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const period = p.period ?? 'month';
  const days = { from: p.from, to: p.to, compareFrom: p.compareFrom, compareTo: p.compareTo };
  for (const [field, v] of Object.entries(days))
    if (v !== undefined && !parseDay(v))
      problems.push({ field, message: `${field} must be ${supportedDayText}, got "${v}"` });
  const window = (field: 'from' | 'compareFrom', from?: string, to?: string) => {
    if (problems.some((x) => x.field === field || x.field === (field === 'from' ? 'to' : 'compareTo')))
      return null;
    const w = statsWindow({ ...(from ? { from } : {}), ...(to ? { to } : {}), period }, today);
    if (w.ok) return { from: w.value.from, to: w.value.to };
    const words = w.error.message;
    const message =
      field === 'from'
        ? words
        : /^from \S+ is after to \S+$/.test(words)
          ? words.replace(/^from (\S+) is after to (\S+)$/, 'compareFrom $1 is after compareTo $2')
          : `compareFrom to compareTo: ${words}`;
    problems.push({ field, message });
    return null;
  };
  const main = window('from', p.from, p.to);
  let compare: { from: string; to: string } | null = null;
  if ((p.compareFrom === undefined) !== (p.compareTo === undefined))
    problems.push({
      field: p.compareFrom === undefined ? 'compareFrom' : 'compareTo',
      message:
        'compareFrom and compareTo go together: give both days of the period to compare with, or neither',
    });
  else if (p.compareFrom !== undefined && p.compareTo !== undefined)
    compare = window('compareFrom', p.compareFrom, p.compareTo);
  let targets = defaultTargets;
  if (p.targets !== undefined) {
    const list = p.targets.split(',').map(Number);
    if (
      !/^\d+(,\d+)*$/.test(p.targets) ||
      list.length > maxTargets ||
      list.some((t) => !Number.isInteger(t) || t < 1 || t > maxTargetMinutes)
    )
      problems.push({
        field: 'targets',
        message: `targets must be up to ${maxTargets} whole numbers of minutes from 1 to ${maxTargetMinutes} separated by commas, got "${p.targets}"`,
      });
    else targets = [...new Set(list)].sort((a, b) => a - b);
  }
  if (problems.length > 0 || main === null) return { ok: false, problems };
  return {
    ok: true,
    value: { ...main, by: p.by ?? null, period, targets, top: p.top ?? 20, compare },
  };
}

/** Names for group keys. */
export interface TimesLabels {
  office(code: string): string;
  mode(code: string): string;
  section(section: string): string;
  chapterSections: readonly (readonly [string, string])[];
}

const laneNames: Record<string, string> = { red: 'Red', yellow: 'Yellow', blue: 'Blue', green: 'Green' };

function labelOf(by: TimeDimension | null, key: string | null, labels: TimesLabels): string {
  if (by === null) return 'All declarations';
  if (key === null) return 'Others';
  if (key === '') return by === 'lane' ? 'No lane' : by === 'section' ? 'Not an HS chapter' : 'Not given';
  switch (by) {
    case 'office':
      return labels.office(key);
    case 'lane':
      return laneNames[key] ?? key;
    case 'mode':
      return labels.mode(key);
    case 'section':
      return labels.section(key);
    case 'trader':
    case 'period':
      return key;
  }
}

const labelled = (g: GroupTimes, by: TimeDimension | null, labels: TimesLabels) => ({
  ...g,
  label: labelOf(by, g.key, labels),
});

const windowView = (
  w: { from: string; to: string },
  r: TimesResult,
  by: TimeDimension | null,
  labels: TimesLabels,
) => ({
  from: w.from,
  to: w.to,
  overall: labelled(r.overall, null, labels),
  groups: r.groups.map((g) => labelled(g, by, labels)),
  otherKeys: r.otherKeys,
});

const difference = (a: number | null, b: number | null) =>
  a === null || b === null ? null : Math.round((a - b) * 100) / 100;

/** The study of the request's window (and its comparison window) within the caller's scope. */
export async function timesView(
  db: Database,
  req: TimesRequest,
  scope: Scope,
  labels: TimesLabels,
  read: TimesRead = 'summary',
): Promise<TimesView> {
  const study = (w: { from: string; to: string }) =>
    releaseTimes(
      db,
      {
        ...w,
        by: req.by,
        period: req.period,
        targets: req.targets,
        top: req.top,
        scope,
        chapterSections: labels.chapterSections,
      },
      read,
    );
  const main = await study(req);
  const other = req.compare ? await study(req.compare) : null;
  const comparison =
    req.compare && other
      ? {
          ...windowView(req.compare, other, req.by, labels),
          change: main.overall.stages.map((s, i) => {
            const before = other.overall.stages[i];
            const median = difference(s.median, before?.median ?? null);
            return {
              stage: s.stage,
              mean: difference(s.mean, before?.mean ?? null),
              median,
              p90: difference(s.p90, before?.p90 ?? null),
              medianShare:
                median === null || !before?.median
                  ? null
                  : Math.round((median / before.median) * 10000) / 10000,
            };
          }),
        }
      : null;
  return {
    ...windowView(req, main, req.by, labels),
    by: req.by,
    period: req.period,
    targets: req.targets,
    stages: stages.map((s) => ({ key: s.key, label: s.label, main: s.main })),
    buckets: [null, ...histogramEdges].map((from, i) => ({ from, to: histogramEdges[i] ?? null })),
    comparison,
  };
}

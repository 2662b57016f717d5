/**
 * A monitoring run (ADR 0028): for each series with enough history, a forecast of the next
 * periods and a check of the latest complete period against its 95% interval (forecast from the
 * history before it); then the surge and unit-value rules. Forecasts and new alerts are stored in
 * one transaction with the run; an alert already stored for its kind, series, measure and period is
 * left as it is. One run at a time across processes (an advisory lock).
 */
import type { Database, Sql } from '../db/database.ts';
import { forecast } from '../forecast/index.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { latestComplete, shiftPeriod } from './periods.ts';
import { AlertKind, originSurges, outsideInterval, shares, unitValueDrop, type Finding } from './rules.ts';
import { buildSeries, type BuiltSeries } from './series.ts';
import {
  Dimension,
  measures,
  seasonLength,
  seriesKeyText,
  type Measure,
  type MonitorPeriod,
} from './series-key.ts';
import type { MonitoringSettings } from './settings.ts';
import { originCounts, unitValueMedians } from './signals.ts';
import { amount, count, country, hs6Words, percent, periodWords, seriesWords } from './words.ts';

/** Three seasons of history at most. */
export const historyPeriods: Record<MonitorPeriod, number> = { week: 156, month: 36 };

export const RunTrigger = { Schedule: 'schedule', Analyst: 'analyst', Cli: 'cli' } as const;
export type RunTrigger = (typeof RunTrigger)[keyof typeof RunTrigger];

export interface RunOptions {
  unit: MonitorPeriod;
  /** The run's day: its latest complete period is the one before the period holding it. */
  today: string;
  trigger: RunTrigger;
  actor: string;
  settings: MonitoringSettings;
  /** Checked under the lock: when it says so, no run is made (the result is null). */
  skipIf?: () => Promise<boolean>;
}

export interface RunSummary {
  id: number;
  period: MonitorPeriod;
  latestPeriod: string;
  historyFrom: string;
  currency: string | null;
  series: number;
  forecasts: number;
  newAlerts: number;
  startedAt: string;
}

export type RunError = { code: 'monitoring_busy'; message: string };

// holdLock's space and key: one monitoring run at a time per database
const lockSpace = 0x434c4d4f;
const lockKey = 1;

interface StoredForecast {
  series_key: string;
  measure: Measure;
  method: string;
  history_from: string;
  history: number[];
  points: Record<string, number | string>[];
  backtest: Record<string, number> | null;
}

export async function runMonitoring(
  db: Database,
  o: RunOptions,
): Promise<Result<RunSummary | null, RunError>> {
  const lock = await db.holdLock(lockSpace, lockKey);
  if (!lock) return err({ code: 'monitoring_busy', message: 'another monitoring run is under way' });
  try {
    if (o.skipIf && (await o.skipIf())) return ok(null);
    return ok(await runLocked(db, o));
  } finally {
    await lock.release();
  }
}

/** Whether a scheduled run of the period was made on the day (UTC): the schedule runs once a day. */
export async function scheduledRunDone(sql: Sql, unit: MonitorPeriod, today: string): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM monitoring_runs WHERE period = $1 AND trigger = 'schedule'
       AND started_at >= $2::date AND started_at < $2::date + 1 LIMIT 1`,
    [unit, today],
  );
  return rows.length > 0;
}

async function runLocked(db: Database, o: RunOptions): Promise<RunSummary> {
  const startedAt = new Date().toISOString();
  const { unit, settings: s } = o;
  const latest = latestComplete(o.today, unit);
  const set = await buildSeries(db, { unit, last: latest, periods: historyPeriods[unit] });
  const { currency, periods } = set;
  const forecasts: StoredForecast[] = [];
  const findings: Finding[] = [];
  for (const series of monitored([...set.series.values()], s)) {
    const first = series.declarations.findIndex((n) => n > 0);
    const key = seriesKeyText(series);
    const declared = series.declarations.slice(first).reduce((a, b) => a + b, 0);
    const valued = series.value.slice(first).reduce((a, b) => a + b, 0);
    for (const measure of measures) {
      if (measure !== 'declarations' && currency === null) continue;
      const history = series[measure].slice(first);
      const made = forecast(history, seasonLength[unit], s.horizon);
      const back = forecast(history.slice(0, -1), seasonLength[unit], 1).points[0];
      forecasts.push({
        series_key: key,
        measure,
        method: made.method,
        history_from: periods[first] ?? latest,
        history,
        points: made.points.map((p, i) => ({ period: shiftPeriod(latest, unit, i + 1), ...p })),
        backtest: back ? { ...back } : null,
      });
      const observed = history[history.length - 1] ?? 0;
      const worth = measure === 'declarations' ? (declared ? valued / declared : 0) : 1;
      const beyond = back && outsideInterval({ observed, point: back, worth });
      if (back && beyond) {
        const what = measure === 'declarations' ? 'Declarations' : measure === 'value' ? 'Value' : 'Duty';
        const fig = (x: number) => (measure === 'declarations' ? count(x) : amount(x, currency));
        findings.push({
          kind: AlertKind.OutsideInterval,
          series: key,
          measure,
          size: beyond.atStake,
          explanation: `${what} of ${seriesWords(series.dimension, series.key)} in ${periodWords(latest, unit)}: ${fig(observed)}, ${observed > back.mean ? 'above' : 'below'} the 95% forecast interval ${fig(back.lower95)} to ${fig(back.upper95)} (forecast ${fig(back.mean)}, ${beyond.z} standard deviations away).`,
          facts: {
            dimension: series.dimension,
            key: series.key,
            observed,
            mean: back.mean,
            lower95: back.lower95,
            upper95: back.upper95,
            z: beyond.z,
            method: made.method,
          },
        });
      }
    }
  }
  findings.push(...(await surgeFindings(db, o, latest, currency)));
  if (currency) findings.push(...(await dropFindings(db, o, latest, currency)));
  return db.transaction(async (tx) => {
    const [run] = await tx.query<{ id: number }>(
      `INSERT INTO monitoring_runs (period, latest_period, history_from, currency, trigger, started_by,
         started_at, series, new_alerts)
       VALUES ($1, $2::date, $3::date, $4, $5, $6, $7::timestamptz, $8, 0) RETURNING id`,
      [
        unit,
        latest,
        periods[0] ?? latest,
        currency,
        o.trigger,
        o.actor,
        startedAt,
        new Set(forecasts.map((f) => f.series_key)).size,
      ],
    );
    if (!run) throw new Error('the monitoring run was not stored');
    await tx.query(
      `INSERT INTO monitoring_forecasts (run_id, series_key, measure, method, history_from, history, points, backtest)
       SELECT $1, f.series_key, f.measure, f.method, f.history_from::date, f.history, f.points, f.backtest
       FROM jsonb_to_recordset($2::jsonb) AS f(series_key text, measure text, method text, history_from text,
            history jsonb, points jsonb, backtest jsonb)`,
      [run.id, JSON.stringify(forecasts)],
    );
    const added = await tx.query<{ id: number }>(
      `INSERT INTO monitoring_alerts (kind, period, period_start, series_key, measure, currency, size,
         explanation, facts, run_id)
       SELECT a.kind, $2, $3::date, a.series, a.measure, $4, a.size, a.explanation, a.facts, $1
       FROM jsonb_to_recordset($5::jsonb) AS a(kind text, series text, measure text, size numeric,
            explanation text, facts jsonb)
       ON CONFLICT (kind, period, series_key, measure, period_start) DO NOTHING RETURNING id`,
      [run.id, unit, latest, currency, JSON.stringify(findings)],
    );
    await tx.query('UPDATE monitoring_runs SET new_alerts = $2 WHERE id = $1', [run.id, added.length]);
    const summary: RunSummary = {
      id: run.id,
      period: unit,
      latestPeriod: latest,
      historyFrom: periods[0] ?? latest,
      currency,
      series: new Set(forecasts.map((f) => f.series_key)).size,
      forecasts: forecasts.length,
      newAlerts: added.length,
      startedAt,
    };
    await recordChange(tx, {
      actor: o.actor,
      action: 'monitoring.run',
      subjectKind: SubjectKind.MonitoringRun,
      subjectId: String(run.id),
      data: {
        period: unit,
        latestPeriod: latest,
        trigger: o.trigger,
        series: summary.series,
        newAlerts: added.length,
      },
    });
    return summary;
  });
}

/**
 * The series forecast: the total, and in each dimension the `maxKeys` keys with the most
 * declarations, each with at least `minPeriods` periods since its first declaration and
 * `minDeclarations` declarations.
 */
function monitored(all: BuiltSeries[], s: MonitoringSettings): BuiltSeries[] {
  const total = (x: BuiltSeries) => x.declarations.reduce((a, b) => a + b, 0);
  const enough = (x: BuiltSeries) => {
    const first = x.declarations.findIndex((n) => n > 0);
    return first >= 0 && x.declarations.length - first >= s.minPeriods && total(x) >= s.minDeclarations;
  };
  const chosen = all.filter((x) => x.dimension === Dimension.Total && enough(x));
  for (const dimension of [Dimension.Chapter, Dimension.Origin, Dimension.Office]) {
    const ofDimension = all.filter((x) => x.dimension === dimension && enough(x));
    ofDimension.sort((a, b) => total(b) - total(a) || a.key.localeCompare(b.key));
    chosen.push(...ofDimension.slice(0, s.maxKeys));
  }
  return chosen;
}

async function surgeFindings(
  db: Sql,
  o: RunOptions,
  latest: string,
  currency: string | null,
): Promise<Finding[]> {
  const { unit, settings: s } = o;
  const rows = await originCounts(db, unit, latest, s.baselinePeriods, currency);
  return originSurges(rows, s).map((r) => {
    const share = shares(rows, r);
    const of = rows.filter((x) => x.hs6 === r.hs6).reduce((n, x) => n + x.latest, 0);
    return {
      kind: AlertKind.OriginSurge,
      series: `hs6:${r.hs6}/origin:${r.origin}`,
      measure: 'share',
      size: Math.round(r.latestValue * 100) / 100,
      explanation: `${hs6Words(r.hs6)} from ${country(r.origin)}: ${r.latest} of ${of} declarations in ${periodWords(latest, unit)} (${percent(share.now)}), against ${percent(share.before)} over the ${s.baselinePeriods} ${unit}s before; ${amount(r.latestValue, currency)} declared. A sudden new origin can be goods routed through a third country to avoid duties.`,
      facts: {
        hs6: r.hs6,
        origin: r.origin,
        latest: r.latest,
        baseline: r.baseline,
        shareBefore: share.before,
        shareNow: share.now,
        value: r.latestValue,
      },
    };
  });
}

async function dropFindings(db: Sql, o: RunOptions, latest: string, currency: string): Promise<Finding[]> {
  const { unit, settings: s } = o;
  const found: Finding[] = [];
  for (const m of await unitValueMedians(db, unit, latest, s.dropPeriods, currency)) {
    const drop = unitValueDrop(m, s);
    if (!drop) continue;
    const perKg = (x: number) => `${amount(x, currency)}/kg`;
    found.push({
      kind: AlertKind.UnitValueDrop,
      series: `hs6:${m.hs6}`,
      measure: 'unit_value',
      size: drop.atStake,
      explanation: `The median unit value of ${hs6Words(m.hs6)} stayed more than ${percent(s.unitValueDrop)} below the quarter before (${perKg(m.reference.median)}) for ${s.dropPeriods} ${unit}s: ${m.periods.map((p) => perKg(p.median)).join(', ')}. At the quarter's median the goods would have been worth about ${amount(drop.atStake, currency)} more.`,
      facts: {
        hs6: m.hs6,
        reference: m.reference.median,
        level: drop.level,
        medians: m.periods.map((p) => p.median).join(' '),
        currency,
      },
    });
  }
  return found;
}

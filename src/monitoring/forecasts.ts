/**
 * The series as the latest run of each period saw them: the list, and one series with its history,
 * forecast and 80%/95% bands, and the backtest of its latest period.
 */
import type { Sql } from '../db/database.ts';
import type { ForecastPoint } from '../forecast/index.ts';
import { shiftPeriod } from './periods.ts';
import type { Dimension, Measure, MonitorPeriod } from './series-key.ts';

export interface RunRow {
  id: number;
  period: MonitorPeriod;
  latestPeriod: string;
  historyFrom: string;
  currency: string | null;
  trigger: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string;
  series: number;
  newAlerts: number;
}

const runSelect = `SELECT id, period, latest_period AS "latestPeriod", history_from AS "historyFrom", currency,
  trigger, started_by AS "startedBy", started_at AS "startedAt", finished_at AS "finishedAt", series,
  new_alerts AS "newAlerts" FROM monitoring_runs`;

export async function findRun(sql: Sql, id: number): Promise<RunRow | undefined> {
  const [row] = await sql.query<RunRow>(`${runSelect} WHERE id = $1`, [id]);
  return row;
}

export async function latestRun(sql: Sql, period: MonitorPeriod): Promise<RunRow | undefined> {
  const [row] = await sql.query<RunRow>(`${runSelect} WHERE period = $1 ORDER BY id DESC LIMIT 1`, [period]);
  return row;
}

export interface SeriesListItem {
  key: string;
  dimension: Dimension;
  measure: Measure;
  method: string;
  /** The latest complete period's value, and the forecast of the next one. */
  last: number;
  next: number | null;
  openAlerts: number;
}

export interface SeriesFilter {
  dimension?: Dimension;
  measure?: Measure;
  /** The start of the key after the dimension (`85`, `C`). */
  prefix?: string;
  limit: number;
}

/** The series of a run, the total first, then by dimension and the latest value, largest first. */
export async function listSeries(sql: Sql, run: RunRow, f: SeriesFilter): Promise<SeriesListItem[]> {
  const rows = await sql.query<SeriesListItem & { key: string }>(
    `SELECT f.series_key AS key, f.measure, f.method,
            (f.history -> (jsonb_array_length(f.history) - 1))::float8 AS last,
            (f.points -> 0 ->> 'mean')::float8 AS next,
            (SELECT count(*) FROM monitoring_alerts a WHERE a.series_key = f.series_key AND a.measure = f.measure
               AND a.period = $2 AND a.state = 'open')::int8 AS "openAlerts"
     FROM monitoring_forecasts f
     WHERE f.run_id = $1 AND ($3::text IS NULL OR split_part(f.series_key, ':', 1) = $3)
       AND ($4::text IS NULL OR f.measure = $4)
       AND ($5::text IS NULL OR starts_with(split_part(f.series_key, ':', 2), $5))
     ORDER BY f.series_key <> 'total', split_part(f.series_key, ':', 1), 4 DESC, f.series_key, f.measure
     LIMIT $6`,
    [run.id, run.period, f.dimension ?? null, f.measure ?? null, f.prefix ?? null, f.limit],
  );
  return rows.map((r) => ({ ...r, dimension: (r.key.split(':')[0] ?? 'total') as Dimension }));
}

export interface SeriesDetail {
  key: string;
  measure: Measure;
  period: MonitorPeriod;
  currency: string | null;
  method: string;
  history: { period: string; value: number }[];
  forecast: ({ period: string } & ForecastPoint)[];
  /** The latest period as forecast from the history before it: what the interval alert compares. */
  backtest: ({ period: string; observed: number } & ForecastPoint) | null;
}

export async function seriesDetail(
  sql: Sql,
  run: RunRow,
  key: string,
  measure: Measure,
): Promise<SeriesDetail | undefined> {
  const [row] = await sql.query<{
    method: string;
    historyFrom: string;
    history: number[];
    points: ({ period: string } & ForecastPoint)[];
    backtest: ForecastPoint | null;
  }>(
    `SELECT method, history_from AS "historyFrom", history, points, backtest FROM monitoring_forecasts
     WHERE run_id = $1 AND series_key = $2 AND measure = $3`,
    [run.id, key, measure],
  );
  if (!row) return undefined;
  const history = row.history.map((value, i) => ({
    period: shiftPeriod(row.historyFrom, run.period, i),
    value,
  }));
  const observed = history[history.length - 1];
  return {
    key,
    measure,
    period: run.period,
    currency: measure === 'declarations' ? null : run.currency,
    method: row.method,
    history,
    forecast: row.points,
    backtest:
      row.backtest && observed
        ? { period: observed.period, observed: observed.value, ...row.backtest }
        : null,
  };
}

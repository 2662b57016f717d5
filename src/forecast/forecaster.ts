/**
 * The forecaster's contract: a regular series of non-negative observations (declarations, value
 * or duty per week or month), oldest first, and its season length in periods (52 for weeks, 12 for
 * months, 7 for days), forecast `horizon` periods ahead with 80% and 95% prediction intervals.
 * `method` names the model that made the forecast (chosen per series by a holdout).
 */
export interface Forecast {
  method: string;
  /** One entry per period ahead, 1..horizon. */
  points: ForecastPoint[];
}

export interface ForecastPoint {
  mean: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export type Forecaster = (series: readonly number[], seasonLength: number, horizon: number) => Forecast;

const z80 = 1.2815515655446004;
const z95 = 1.959963984540054;

/**
 * Seasonal naive, the floor every other method must beat: each period ahead repeats the same
 * period of the last season (the last value when the series is shorter than a season), with
 * intervals from the spread of the seasonal differences, widening with the number of seasons ahead.
 */
export const seasonalNaive: Forecaster = (series, seasonLength, horizon) => {
  const m = series.length > seasonLength ? seasonLength : 1;
  const n = series.length;
  if (n === 0) throw new Error('a forecast needs at least one observation');
  const diffs: number[] = [];
  for (let t = m; t < n; t++) diffs.push((series[t] ?? 0) - (series[t - m] ?? 0));
  const sigma = diffs.length > 1 ? Math.sqrt(diffs.reduce((s, d) => s + d * d, 0) / diffs.length) : 0;
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const mean = series[n - m + ((h - 1) % m)] ?? 0;
    const spread = sigma * Math.sqrt(Math.floor((h - 1) / m) + 1);
    points.push({
      mean,
      lower80: Math.max(0, mean - z80 * spread),
      upper80: mean + z80 * spread,
      lower95: Math.max(0, mean - z95 * spread),
      upper95: mean + z95 * spread,
    });
  }
  return { method: 'seasonal_naive', points };
};

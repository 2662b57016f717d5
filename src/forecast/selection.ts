/**
 * Clearway's forecaster: exponential smoothing of several forms (no, additive or damped trend; no,
 * additive or multiplicative season) fitted to the whole series with a bound on outliers (Huber's
 * loss: an error beyond two robust deviations corrects the states only up to that bound), then
 * averaged with their Akaike weights (AICc of the Gaussian likelihood; models 10 or more behind the
 * best left out). The same models fitted without the last periods (a season, or the horizon if
 * longer) check the intervals: they are widened when the holdout errors were larger than the models
 * said (shrunk towards no change), and use quantiles of the standardised one-step errors in place of
 * the normal's when there are many. A series too short for any likelihood falls back to the three
 * best methods on the holdout (Theta and seasonal naive among them), averaged by the inverse of their
 * error. Means and lower bounds never go below zero. ADR 0027.
 */
import {
  fitSmoothing,
  forecastSmoothing,
  Season,
  Trend,
  type SmoothingSpec,
} from './exponential-smoothing.ts';
import { seasonalNaive, type Forecaster, type ForecastPoint } from './forecaster.ts';
import { fitTheta, forecastTheta } from './theta.ts';

type Path = { mean: number; sd: number }[];

interface Fitted {
  path: Path;
  standardised: number[];
  /** The AICc of the fit, Infinity for a method without a likelihood. */
  aicc: number;
}

interface Candidate {
  method: string;
  /** Whether its fit has a likelihood (an AICc), so that it can be weighed against the others on the whole series. */
  likelihood: boolean;
  /** Fits on the series and returns the forecast path and the one-step errors in standard deviations. */
  fit: (y: readonly number[], m: number, horizon: number) => Fitted;
}

/**
 * An error beyond this many robust deviations of the seasonal differences counts as an outlier: it
 * corrects the states as if it were at that bound and costs linearly in the fit (Huber's loss).
 */
const outlierBound = 2;
/** Models whose AICc exceeds the best by this much or more are left out of the average (weight < 0.7%). */
const akaikeWindow = 10;

/** A robust scale of the one-step changes: the MAD of the seasonal differences (lag 1 for a short series). */
function robustScale(y: readonly number[], m: number): number {
  const lag = y.length > 2 * m ? m : 1;
  const d: number[] = [];
  for (let t = lag; t < y.length; t++) d.push((y[t] ?? 0) - (y[t - lag] ?? 0));
  if (d.length === 0) return Infinity;
  const med = median(d);
  return (1.4826 * median(d.map((x) => Math.abs(x - med)))) / Math.SQRT2;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? (s[k] ?? 0) : ((s[k - 1] ?? 0) + (s[k] ?? 0)) / 2;
}

const z80 = 1.2815515655446004;
const z95 = 1.959963984540054;
/** How many holdout errors count as much as the model's own variance when rescaling the intervals. */
const holdoutPrior = 6;

const letters: Record<Trend | Season, string> = {
  none: 'N',
  additive: 'A',
  damped: 'Ad',
  multiplicative: 'M',
};

function smoothing(spec: SmoothingSpec): Candidate {
  return {
    method: `ets(A,${letters[spec.trend]},${letters[spec.season]})`,
    likelihood: true,
    fit: (y, m, horizon) => {
      // a (nearly) exact season and trend has no outliers: no bound below a millionth of the level
      const bound = outlierBound * robustScale(y, m);
      const level = y.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, y.length);
      const fit = fitSmoothing(y, spec, m, { clip: bound > 1e-6 * level ? bound : Infinity });
      const path = forecastSmoothing(fit, horizon);
      const sd = Math.sqrt(fit.errors.reduce((s, e) => s + e * e, 0) / Math.max(1, fit.errors.length));
      const warm = spec.season === Season.None ? 2 : m;
      return {
        path,
        standardised: sd > 0 ? fit.errors.slice(warm).map((e) => e / sd) : [],
        aicc: fit.aicc,
      };
    },
  };
}

const theta: Candidate = {
  method: 'theta',
  likelihood: false,
  fit: (y, m, horizon) => ({
    path: forecastTheta(fitTheta(y, m), horizon),
    standardised: [],
    aicc: Infinity,
  }),
};

const naive: Candidate = {
  method: 'seasonal_naive',
  likelihood: false,
  fit: (y, m, horizon) => ({
    path: seasonalNaive(y, m, horizon).points.map((p) => ({ mean: p.mean, sd: (p.upper80 - p.mean) / z80 })),
    standardised: [],
    aicc: Infinity,
  }),
};

/** How many of the best methods on the holdout are averaged, weighted by the inverse of their error. */
const combined = 3;

/**
 * The weighted mean path of several methods; the standard deviation is their weighted mean too
 * (errors of similar methods move together).
 */
function average(paths: Path[], weights: readonly number[]): Path {
  const total = weights.reduce((a, b) => a + b, 0);
  const mix = (h: number, of: (p: { mean: number; sd: number }) => number) =>
    paths.reduce((s, p, i) => s + (weights[i] ?? 0) * of(p[h] ?? { mean: 0, sd: 0 }), 0) / total;
  return (paths[0] ?? []).map((_, h) => ({ mean: mix(h, (p) => p.mean), sd: mix(h, (p) => p.sd) }));
}

/** The methods that can be fitted on `length` observations with season `m`. */
function candidatesFor(length: number, m: number, positive: boolean): Candidate[] {
  const list: Candidate[] = [naive];
  if (length < 4) return list;
  list.push(smoothing({ trend: Trend.None, season: Season.None }));
  list.push(smoothing({ trend: Trend.Damped, season: Season.None }));
  list.push(theta);
  if (m > 1 && length >= 2 * m) {
    list.push(smoothing({ trend: Trend.None, season: Season.Additive }));
    list.push(smoothing({ trend: Trend.Damped, season: Season.Additive }));
    list.push(smoothing({ trend: Trend.Additive, season: Season.Additive }));
    if (positive) list.push(smoothing({ trend: Trend.Damped, season: Season.Multiplicative }));
  }
  return list;
}

/** The empirical quantile of the absolute standardised errors, blended with the normal's by their number. */
function quantile(standardised: readonly number[], p: number, normal: number): number {
  const r = standardised.length;
  if (r < 10) return normal;
  const sorted = standardised.map(Math.abs).sort((a, b) => a - b);
  const at = sorted[Math.min(r - 1, Math.floor(p * r))] ?? normal;
  const w = r / (r + 30);
  return w * at + (1 - w) * normal;
}

function refuse(series: readonly number[], seasonLength: number, horizon: number): void {
  if (series.length === 0) throw new RangeError('a forecast needs at least one observation');
  const bad = series.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (bad >= 0)
    throw new RangeError(
      `observation ${bad} is ${series[bad]}: a forecast needs finite, non-negative values`,
    );
  if (!Number.isInteger(seasonLength) || seasonLength < 1)
    throw new RangeError('the season length must be a positive integer');
  if (!Number.isInteger(horizon) || horizon < 0)
    throw new RangeError('the horizon must be a whole number of periods');
}

export const seasonalForecast: Forecaster = (series, seasonLength, horizon) => {
  refuse(series, seasonLength, horizon);
  const n = series.length;
  const m = seasonLength;
  if (series.every((v) => v === series[0])) {
    const v = series[0] ?? 0;
    const point = { mean: v, lower80: v, upper80: v, lower95: v, upper95: v };
    return { method: 'constant', points: Array.from({ length: horizon }, () => ({ ...point })) };
  }
  const positive = series.every((v) => v > 0);
  // the holdout: a season (the horizon if longer), leaving two seasons to fit, at most a quarter of the series
  let holdout = Math.max(horizon, m);
  if (n >= 2 * m + 1 && m > 1) holdout = Math.min(holdout, n - 2 * m);
  holdout = Math.min(holdout, Math.floor(n / 4));
  const canHold = holdout >= 1 && n - holdout >= 4;
  const train = series.slice(0, n - holdout);
  const actual = series.slice(n - holdout);

  // the smoothing models on the whole series, weighted by their Akaike weights
  const fitted = candidatesFor(n, m, positive)
    .filter((c) => c.likelihood)
    .map((candidate) => ({ candidate, fit: candidate.fit(series, m, horizon) }))
    .filter((r) => Number.isFinite(r.fit.aicc));
  if (fitted.length > 0) {
    const best = Math.min(...fitted.map((r) => r.fit.aicc));
    const top = fitted
      .filter((r) => r.fit.aicc - best < akaikeWindow)
      .sort((a, b) => a.fit.aicc - b.fit.aicc);
    const weights = top.map((r) => Math.exp(-0.5 * (r.fit.aicc - best)));
    const chosen = top.map((r) => r.candidate);
    const scale = canHold
      ? widening(
          average(
            chosen.map((c) => c.fit(train, m, holdout).path),
            weights,
          ),
          actual,
        )
      : 1;
    return finish(
      chosen,
      top.map((r) => r.fit),
      weights,
      scale,
    );
  }

  // too short for a likelihood: the best three methods on the holdout, by the inverse of their error
  let chosen: Candidate[] = [naive];
  let scale = 1;
  let weights = [1];
  if (canHold) {
    const ranked = candidatesFor(train.length, m, positive)
      .map((candidate) => {
        const { path } = candidate.fit(train, m, holdout);
        const error = path.reduce((s, p, h) => s + Math.abs((actual[h] ?? 0) - Math.max(0, p.mean)), 0);
        return { candidate, path, error };
      })
      .filter((r) => Number.isFinite(r.error))
      .sort((a, b) => a.error - b.error);
    const top = ranked.slice(0, combined);
    if (top.length > 0) {
      chosen = top.map((r) => r.candidate);
      // a method that forecast the holdout exactly dominates
      const floor = 1e-9 * (1 + actual.reduce((s, v) => s + v, 0));
      weights = top.map((r) => 1 / Math.max(r.error, floor));
      scale = widening(
        average(
          top.map((r) => r.path),
          weights,
        ),
        actual,
      );
    }
  }
  return finish(
    chosen,
    chosen.map((c) => c.fit(series, m, horizon)),
    weights,
    scale,
  );
};

/**
 * How much to widen the intervals: the holdout errors standardised by the forecast's own deviations,
 * √((Σz² + prior) / (H + prior)), never below 1 (a holdout is too short to narrow them).
 */
function widening(path: Path, actual: readonly number[]): number {
  const ratio = path.reduce(
    (s, p, h) => s + (p.sd > 0 ? (((actual[h] ?? 0) - Math.max(0, p.mean)) / p.sd) ** 2 : 0),
    0,
  );
  return Math.max(1, Math.sqrt((ratio + holdoutPrior) / (actual.length + holdoutPrior)));
}

function finish(chosen: Candidate[], fits: Fitted[], weights: number[], scale: number) {
  const path = average(
    fits.map((f) => f.path),
    weights,
  );
  const standardised = fits.flatMap((f) => f.standardised);
  const q80 = quantile(standardised, 0.8, z80);
  const q95 = quantile(standardised, 0.95, z95);
  const points: ForecastPoint[] = path.map(({ mean, sd }) => {
    const centre = Math.max(0, mean);
    const s = sd * scale;
    return {
      mean: centre,
      lower80: Math.max(0, centre - q80 * s),
      upper80: centre + q80 * s,
      lower95: Math.max(0, centre - q95 * s),
      upper95: centre + q95 * s,
    };
  });
  const method =
    chosen.length === 1
      ? (chosen[0]?.method ?? naive.method)
      : `mean(${chosen.map((c) => c.method).join(', ')})`;
  return { method, points };
}

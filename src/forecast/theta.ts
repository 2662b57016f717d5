/**
 * The Theta method (Assimakopoulos and Nikolopoulos; Hyndman and Billah's reading): simple
 * exponential smoothing with a drift of half the series' least-squares slope, on the series
 * deseasonalised by classical decomposition (multiplicative when every value is positive, additive
 * otherwise) and reseasonalised after. Error variance as simple exponential smoothing's, σ²(1 + (h−1)α²).
 */
import { nelderMead } from './nelder-mead.ts';

export interface ThetaFit {
  alpha: number;
  level: number;
  drift: number;
  /** Per period modulo the season length; all ones (or zeros) without a season. */
  season: number[];
  multiplicative: boolean;
  sigma: number;
  n: number;
}

/**
 * Seasonal indices from a centred moving average over whole seasons (a least-squares line under
 * three seasons): for each period of the season, the 10% trimmed mean of the series' ratios to (or
 * differences from) it, so that a few spikes do not make a season.
 */
export function seasonalIndices(y: readonly number[], m: number, multiplicative: boolean): number[] {
  const byPeriod: number[][] = Array.from({ length: m }, () => []);
  const half = Math.floor(m / 2);
  if (y.length < 3 * m) {
    // too short for a moving average to leave two values a period: around a least-squares line instead
    const n = y.length;
    const tMean = (n - 1) / 2;
    const yMean = y.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    y.forEach((v, t) => {
      sxy += (t - tMean) * (v - yMean);
      sxx += (t - tMean) * (t - tMean);
    });
    // a ratio needs a positive line: a steep fall flattens it to the mean
    const fitted = sxx > 0 ? sxy / sxx : 0;
    const slope = multiplicative && yMean - Math.abs(fitted) * tMean <= 0 ? 0 : fitted;
    y.forEach((v, t) => {
      const trend = yMean + slope * (t - tMean);
      byPeriod[t % m]?.push(multiplicative ? v / trend : v - trend);
    });
  } else {
    for (let t = half; t + half < y.length; t++) {
      let s = 0;
      if (m % 2 === 0) {
        for (let j = t - half; j <= t + half; j++)
          s += (y[j] ?? 0) * (j === t - half || j === t + half ? 0.5 : 1);
      } else {
        for (let j = t - half; j <= t + half; j++) s += y[j] ?? 0;
      }
      const trend = s / m;
      const v = y[t] ?? 0;
      byPeriod[t % m]?.push(multiplicative ? v / trend : v - trend);
    }
  }
  const raw = byPeriod.map((xs) => (xs.length > 0 ? trimmedMean(xs) : multiplicative ? 1 : 0));
  const centre = raw.reduce((a, b) => a + b, 0) / m;
  return raw.map((s) => (multiplicative ? s / centre : s - centre));
}

/** The mean without the highest and lowest tenth (at least one each side from five values on). */
function trimmedMean(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const cut = s.length >= 5 ? Math.max(1, Math.floor(s.length * 0.1)) : 0;
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

function ses(y: readonly number[], alpha: number, errors?: number[]): { sse: number; level: number } {
  let level = y[0] ?? 0;
  let sse = 0;
  for (let t = 1; t < y.length; t++) {
    const e = (y[t] ?? 0) - level;
    sse += e * e;
    errors?.push(e);
    level += alpha * e;
  }
  return { sse, level };
}

export function fitTheta(y: readonly number[], seasonLength: number): ThetaFit {
  const n = y.length;
  const seasonal = seasonLength > 1 && n >= 2 * seasonLength;
  const multiplicative = seasonal && y.every((v) => v > 0);
  const m = seasonal ? seasonLength : 1;
  const season = seasonal ? seasonalIndices(y, m, multiplicative) : [multiplicative ? 1 : 0];
  const adjusted = y.map((v, t) => {
    const s = season[t % m] ?? 0;
    return multiplicative ? v / s : seasonal ? v - s : v;
  });
  const tMean = (n - 1) / 2;
  const yMean = adjusted.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  adjusted.forEach((v, t) => {
    sxy += (t - tMean) * (v - yMean);
    sxx += (t - tMean) * (t - tMean);
  });
  const drift = sxx > 0 ? sxy / sxx / 2 : 0;
  const toAlpha = (u: number) => 0.0001 + 0.9998 / (1 + Math.exp(-u));
  const best = nelderMead((u) => ses(adjusted, toAlpha(u[0] ?? 0)).sse, [0], { step: 1, maxEvaluations: 60 });
  const alpha = toAlpha(best.x[0] ?? 0);
  const errors: number[] = [];
  const { level } = ses(adjusted, alpha, errors);
  const sigma = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / Math.max(1, errors.length - 2));
  return { alpha, level, drift, season, multiplicative, sigma, n };
}

export function forecastTheta(fit: ThetaFit, horizon: number): { mean: number; sd: number }[] {
  const { alpha, level, drift, season, multiplicative, sigma, n } = fit;
  const m = season.length;
  const out: { mean: number; sd: number }[] = [];
  for (let h = 1; h <= horizon; h++) {
    const s = season[(n + h - 1) % m] ?? (multiplicative ? 1 : 0);
    const base = level + drift * (h - 1 + 1 / alpha - Math.pow(1 - alpha, n) / alpha);
    const sd = sigma * Math.sqrt(1 + (h - 1) * alpha * alpha);
    out.push(multiplicative ? { mean: base * s, sd: sd * s } : { mean: base + s, sd });
  }
  return out;
}

/**
 * Exponential smoothing in its error-correction (innovations) form: a level, an optional trend
 * (additive or damped) and an optional season (additive or multiplicative), each corrected by the
 * one-step error. The smoothing parameters minimise the one-step squared error, or Huber's loss
 * with a bound on outliers (`clip`: a larger error corrects the states as if it were at the bound),
 * by Nelder–Mead over bounded transforms, so that every trial is an admissible model; the initial
 * states come from the series' classical decomposition. Each fit carries the AICc of its one-step
 * errors. Variances of the h-step errors follow Hyndman et
 * al.'s class 1 formula, σ²(1 + Σ c_j²) with c_j = α + βφ_j + γ[j ≡ 0 mod m]; for a multiplicative
 * season the same on the deseasonalised scale.
 */
import { nelderMead } from './nelder-mead.ts';
import { seasonalIndices } from './theta.ts';

export const Trend = { None: 'none', Additive: 'additive', Damped: 'damped' } as const;
export type Trend = (typeof Trend)[keyof typeof Trend];
export const Season = { None: 'none', Additive: 'additive', Multiplicative: 'multiplicative' } as const;
export type Season = (typeof Season)[keyof typeof Season];

export interface SmoothingSpec {
  trend: Trend;
  season: Season;
}

export interface SmoothingParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface States {
  level: number;
  trend: number;
  /** Indexed by period modulo the season length. */
  season: number[];
}

export interface SmoothingFit {
  spec: SmoothingSpec;
  seasonLength: number;
  params: SmoothingParams;
  /** The states after the last observation. */
  last: States;
  /** One-step errors, on the deseasonalised scale for a multiplicative season. */
  errors: number[];
  /** How many parameters were estimated. */
  estimated: number;
  n: number;
  /** The corrected Akaike criterion of the Gaussian likelihood of the one-step errors (smaller is better). */
  aicc: number;
}

/** Options of a fit: `clip`, a one-step error beyond which an observation counts as an outlier. */
export interface FitOptions {
  clip?: number;
}

const logistic = (u: number) => 1 / (1 + Math.exp(-u));
const logit = (p: number) => Math.log(p / (1 - p));

/** The parameters a point of the optimiser's space stands for, always admissible. */
function paramsOf(spec: SmoothingSpec, u: readonly number[]): SmoothingParams {
  const alpha = 0.0001 + 0.9998 * logistic(u[0] ?? 0);
  const trended = spec.trend === Trend.None ? 0 : 1;
  const seasonal = spec.season === Season.None ? 0 : 1;
  const beta = trended ? alpha * logistic(u[1] ?? 0) : 0;
  const gamma = seasonal ? (1 - alpha) * logistic(u[1 + trended] ?? 0) : 0;
  const damping = 0.8 + 0.18 * logistic(u[1 + trended + seasonal] ?? 0);
  const phi = spec.trend === Trend.Damped ? damping : trended;
  return { alpha, beta, gamma, phi };
}

function startOf(spec: SmoothingSpec): number[] {
  const u = [logit(0.3)];
  if (spec.trend !== Trend.None) u.push(logit(0.1));
  if (spec.season !== Season.None) u.push(logit(0.1));
  if (spec.trend === Trend.Damped) u.push(logit(0.5));
  return u;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/**
 * The start: the season from a classical decomposition of the whole series (centred moving averages),
 * level and trend from a least-squares line through the deseasonalised first two seasons.
 */
function initialStates(y: readonly number[], spec: SmoothingSpec, m: number): States {
  const seasonal = spec.season !== Season.None;
  const mult = spec.season === Season.Multiplicative;
  const season = seasonal ? seasonalIndices(y, m, mult) : [0];
  const k = Math.min(y.length, seasonal ? 2 * m : 4);
  const adjusted = y.slice(0, k).map((v, t) => {
    const s = season[t % m] ?? (mult ? 1 : 0);
    return mult ? v / s : seasonal ? v - s : v;
  });
  const tMean = (k - 1) / 2;
  const yMean = mean(adjusted);
  let sxy = 0;
  let sxx = 0;
  adjusted.forEach((v, t) => {
    sxy += (t - tMean) * (v - yMean);
    sxx += (t - tMean) * (t - tMean);
  });
  const trend = spec.trend === Trend.None || sxx === 0 ? 0 : sxy / sxx;
  const level = spec.trend === Trend.None ? (seasonal ? yMean : (y[0] ?? 0)) : yMean - trend * (tMean + 1);
  return { level, trend, season };
}

/** Runs the recursions over the series; the sum of squared one-step errors, or Infinity if the model breaks. */
function run(
  y: readonly number[],
  spec: SmoothingSpec,
  m: number,
  p: SmoothingParams,
  start: States,
  errors?: number[],
  clip = Infinity,
): { sse: number; loss: number; last: States } {
  let { level, trend } = start;
  const season = [...start.season];
  const mult = spec.season === Season.Multiplicative;
  const seasonal = spec.season !== Season.None;
  let sse = 0;
  let loss = 0;
  for (let t = 0; t < y.length; t++) {
    const k = seasonal ? t % m : 0;
    const s = seasonal ? (season[k] ?? 0) : 0;
    const base = level + p.phi * trend;
    if (mult && (base <= 0 || s <= 0))
      return { sse: Infinity, loss: Infinity, last: { level, trend, season } };
    const predicted = mult ? base * s : base + s;
    const raw = (y[t] ?? 0) - predicted;
    sse += raw * raw;
    errors?.push(mult ? raw / s : raw);
    // Huber: an error beyond the clip corrects the states as if it were at the clip and costs linearly
    const e = Math.max(-clip, Math.min(clip, raw));
    loss += Math.abs(raw) <= clip ? raw * raw : clip * (2 * Math.abs(raw) - clip);
    const u = mult ? e / s : e;
    level = base + p.alpha * u;
    trend = p.phi * trend + p.beta * u;
    if (seasonal) season[k] = s + p.gamma * (mult ? e / base : e);
  }
  return { sse, loss, last: { level, trend, season } };
}

/** Fits a model of the given form; the series must hold two seasons for a seasonal form, two values otherwise. */
export function fitSmoothing(
  y: readonly number[],
  spec: SmoothingSpec,
  seasonLength: number,
  options: FitOptions = {},
): SmoothingFit {
  const m = spec.season === Season.None ? 1 : seasonLength;
  const clip = options.clip ?? Infinity;
  const start = initialStates(y, spec, m);
  const u0 = startOf(spec);
  const objective = (u: readonly number[]) => run(y, spec, m, paramsOf(spec, u), start, undefined, clip).loss;
  const best = nelderMead(objective, u0, { step: 1, maxEvaluations: 100 * u0.length, tolerance: 1e-6 });
  const params = paramsOf(spec, best.x);
  const errors: number[] = [];
  const { last, sse } = run(y, spec, m, params, start, errors, clip);
  // the initial states were taken from the data too: they count as estimated
  const estimated = u0.length + (spec.trend === Trend.None ? 1 : 2) + (m > 1 ? m - 1 : 0);
  // as with statsmodels' heuristic start, the seasonal states taken from the decomposition are not
  // counted in the criterion (counting 51 of them on three years of weeks always rejected the season)
  const aicc = informationCriterion(sse, y.length, estimated - (m > 1 ? m - 1 : 0) + 1);
  return { spec, seasonLength: m, params, last, errors, estimated, n: y.length, aicc };
}

/** The point forecasts 1..horizon ahead and the standard deviation of each one's error. */
export function forecastSmoothing(fit: SmoothingFit, horizon: number): { mean: number; sd: number }[] {
  const { spec, params: p, last, seasonLength: m, n } = fit;
  const mult = spec.season === Season.Multiplicative;
  const seasonal = spec.season !== Season.None;
  const dof = Math.max(1, fit.errors.length - fit.estimated);
  const sigma = Math.sqrt(fit.errors.reduce((s, e) => s + e * e, 0) / dof);
  const out: { mean: number; sd: number }[] = [];
  let damped = 0; // φ + φ² + … + φ^h
  let power = 1;
  let spread = 0; // Σ_{j<h} c_j²
  for (let h = 1; h <= horizon; h++) {
    power *= p.phi;
    damped += power;
    const s = seasonal ? (last.season[(n + h - 1) % m] ?? 0) : 0;
    const base = last.level + damped * last.trend;
    const mean = mult ? base * s : base + s;
    out.push({ mean, sd: sigma * Math.sqrt(1 + spread) * (mult ? s : 1) });
    const c = p.alpha + p.beta * damped + (seasonal && h % m === 0 ? p.gamma : 0);
    spread += c * c;
  }
  return out;
}

/**
 * AICc of a model with Gaussian one-step errors of sum of squares `sse` over `n` observations and
 * `k` estimated parameters (the variance included): n log(SSE/n) + 2k + 2k(k+1)/(n−k−1); Infinity
 * when the model has as many parameters as the data allow.
 */
export function informationCriterion(sse: number, n: number, k: number): number {
  if (n - k - 1 <= 0 || !Number.isFinite(sse)) return Infinity;
  return n * Math.log(Math.max(sse, 1e-300) / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}

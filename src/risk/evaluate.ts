/** Ranking quality of risk scores: AUC, and precision and recall among the highest-scored shares. */
import { auc } from './gbdt/metrics.ts';

export const shares = [1, 2, 5, 10] as const;

export interface Evaluation {
  n: number;
  positives: number;
  auc: number;
  precisionAt: Record<string, number>;
  recallAt: Record<string, number>;
}

export function evaluateScores(scores: Float64Array, labels: Float64Array): Evaluation {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const positives = labels.reduce((s, l) => s + l, 0);
  const precisionAt: Record<string, number> = {};
  const recallAt: Record<string, number> = {};
  for (const share of shares) {
    const k = Math.max(1, Math.round((scores.length * share) / 100));
    let hits = 0;
    for (let i = 0; i < k; i++) hits += labels[order[i] ?? 0] ?? 0;
    precisionAt[share] = round(hits / k);
    recallAt[share] = round(positives ? hits / positives : 0);
  }
  return { n: scores.length, positives, auc: round(auc(scores, labels)), precisionAt, recallAt };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * What the model registry records of a model: its ranking and its Brier score on held-out
 * declarations. Versions registered before the Brier score was measured lack it.
 */
export interface ModelMetrics extends Evaluation {
  brier?: number;
}

/** Ranking and Brier score of probabilities against 0/1 labels, as the registry records them. */
export function modelMetrics(probabilities: Float64Array, labels: Float64Array): ModelMetrics {
  return { ...evaluateScores(probabilities, labels), brier: calibration(probabilities, labels).brier };
}

/** One bin of a reliability table: the rows whose probability fell in [from, to). */
export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  /** Mean predicted probability of the bin's rows (NaN when empty). */
  predicted: number;
  /** Share of the bin's rows that were positive (NaN when empty). */
  observed: number;
}

/**
 * How far probabilities mean what they say: the Brier score (mean squared error against the 0/1
 * labels) and a reliability table of `bins` equal-width bins over [0, 1].
 */
export function calibration(
  probabilities: Float64Array,
  labels: Float64Array,
  bins = 10,
): { brier: number; reliability: ReliabilityBin[] } {
  const n = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  let squares = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] ?? 0;
    const y = labels[i] ?? 0;
    squares += (p - y) ** 2;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    n[b] = (n[b] ?? 0) + 1;
    predicted[b] = (predicted[b] ?? 0) + p;
    observed[b] = (observed[b] ?? 0) + y;
  }
  const reliability = Array.from(n, (count, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    n: count,
    predicted: round((predicted[b] ?? 0) / count),
    observed: round((observed[b] ?? 0) / count),
  }));
  return { brier: round(squares / Math.max(1, probabilities.length)), reliability };
}

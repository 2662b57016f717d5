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

/** Logistic loss in terms of raw scores (log-odds) and 0/1 labels. */

/** Log-odds of the mean label, kept finite when every label is equal. */
export function baseLogOdds(labels: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] ?? 0;
  const mean = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, labels.length)));
  return Math.log(mean / (1 - mean));
}

/** First and second derivatives of the log-loss with respect to each raw score. */
export function logisticGradients(
  scores: Float64Array,
  labels: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
): void {
  for (let i = 0; i < scores.length; i++) {
    const p = 1 / (1 + Math.exp(-(scores[i] ?? 0)));
    grad[i] = p - (labels[i] ?? 0);
    hess[i] = Math.max(p * (1 - p), 1e-16);
  }
}

/** Mean log-loss of raw scores, computed stably as log(1 + e^s) - y·s. */
export function logLoss(scores: Float64Array, labels: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] ?? 0;
    sum += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - (labels[i] ?? 0) * s;
  }
  return sum / Math.max(1, scores.length);
}

/** Ranking metrics for binary classifiers: labels are 1 (positive) or 0. */

/** Row indices ordered by score, highest first; ties keep row order. */
function byScoreDescending(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative, ties
 * counting half. NaN when there are no positives or no negatives.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length)
    throw new Error(`auc: ${scores.length} scores for ${labels.length} labels`);
  const order = byScoreDescending(scores);
  let positives = 0;
  let negatives = 0;
  let pairs = 0;
  for (let i = 0; i < order.length;) {
    // A run of tied scores: its positives beat the negatives below and tie with those inside.
    const score = scores[order[i] ?? 0];
    let tiedPositives = 0;
    let tiedNegatives = 0;
    for (; i < order.length && scores[order[i] ?? 0] === score; i++) {
      if (labels[order[i] ?? 0] === 1) tiedPositives++;
      else tiedNegatives++;
    }
    pairs += tiedNegatives * positives + (tiedNegatives * tiedPositives) / 2;
    positives += tiedPositives;
    negatives += tiedNegatives;
  }
  return positives === 0 || negatives === 0 ? NaN : pairs / (positives * negatives);
}

/**
 * Share of positives among the highest-scoring `share` of rows (at least one row), e.g. the hit rate
 * when the top 5 % of declarations are controlled.
 */
export function precisionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, share: number): number {
  if (scores.length !== labels.length) {
    throw new Error(`precisionAt: ${scores.length} scores for ${labels.length} labels`);
  }
  if (!(share > 0 && share <= 1))
    throw new Error(`precisionAt: share is ${share}, expected a value in (0, 1]`);
  if (scores.length === 0) return NaN;
  const order = byScoreDescending(scores);
  const top = Math.max(1, Math.round(share * scores.length));
  let hits = 0;
  for (let i = 0; i < top; i++) if (labels[order[i] ?? 0] === 1) hits++;
  return hits / top;
}

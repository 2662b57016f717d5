/**
 * Codes for categorical fields of few values, beside their ordered target statistics: each value
 * seen often enough in training gets its rank by smoothed fraud rate over the whole training set,
 * so that one threshold on the code splits the values as a tree's categorical split would (for a
 * binary target, the best split of categories ordered by rate is a cut in that order). A value seen
 * fewer than `minimumCoded` times, never seen, or missing has no code (NaN): a rate from so few
 * declarations would carry their own labels. Unlike the running statistics, the code of a value is
 * the same in training and in scoring.
 */

/** Declarations a value needs in training to get a code. */
export const minimumCoded = 30;

/** Each value's code: its rank by smoothed rate, lowest first (ties by value), among those coded. */
export function codesByRate(
  stats: ReadonlyMap<string, { sum: number; count: number }>,
  prior: number,
  smoothing: number,
): Map<string, number> {
  const rate = (s: { sum: number; count: number }) => (s.sum + smoothing * prior) / (s.count + smoothing);
  const coded = [...stats]
    .filter(([, s]) => s.count >= minimumCoded)
    .sort(([a, x], [b, y]) => rate(x) - rate(y) || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(coded.map(([value], rank) => [value, rank]));
}

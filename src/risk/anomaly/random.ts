/** Random draws for the isolation forest; the seeded source is the one the boosted trees use. */
export { seededRandom } from '../gbdt/random.ts';

/**
 * Moves a uniform random choice of `count` distinct entries of `pool` to its front (a partial
 * Fisher-Yates shuffle) and returns a copy of them. `pool` stays a permutation of its entries, so it can
 * be drawn from again without being reset.
 */
export function drawWithoutReplacement(pool: Int32Array, count: number, random: () => number): Int32Array {
  const n = pool.length;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const picked = pool[j] ?? 0;
    pool[j] = pool[i] ?? 0;
    pool[i] = picked;
  }
  return pool.slice(0, count);
}

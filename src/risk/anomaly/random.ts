/** A seeded pseudo-random source (mulberry32) in [0, 1): deterministic for a seed, fast, not cryptographic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

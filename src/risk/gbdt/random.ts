/** A seeded pseudo-random source (mulberry32): deterministic for a seed, fast, not cryptographic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks `count` distinct integers from [0, n) with a partial Fisher-Yates shuffle, sorted ascending. */
export function sampleIndices(n: number, count: number, random: () => number): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const picked = all[j] ?? j;
    all[j] = all[i] ?? i;
    all[i] = picked;
  }
  return all.slice(0, count).sort();
}

/**
 * A small seeded pseudo-random generator (mulberry32) with the few distributions the demo data
 * needs. Deterministic for a seed; never use Math.random in the demo generator.
 */

/** Mixes a seed and a salt into a well-spread 32-bit state (murmur3 finaliser). */
export function mixSeed(seed: number, salt: number): number {
  const high = Math.floor(seed / 4294967296) | 0;
  let h = (seed | 0) ^ Math.imul(high ^ 0x27d4eb2f, 0x165667b1) ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Seeded random source; every method advances the same stream. */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number, salt = 0) {
    this.state = mixSeed(seed, salt);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller, the second value kept for the next call). */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /** Log-normal with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return at(list, this.int(list.length));
  }

  /** An index drawn from cumulative weights (as built by `cumulative`). */
  weighted(cumulativeWeights: Float64Array): number {
    const total = cumulativeWeights[cumulativeWeights.length - 1] ?? 0;
    const target = this.next() * total;
    let lo = 0;
    let hi = cumulativeWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulativeWeights[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** An element of `list` drawn with the matching cumulative weights. */
  pickWeighted<T>(list: readonly T[], cumulativeWeights: Float64Array): T {
    return at(list, this.weighted(cumulativeWeights));
  }
}

/** Running sums of weights, for `Random.weighted`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    sums[i] = total;
  });
  return sums;
}

/** Element `i` of a list that is known to have it; throws on a bug. */
export function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new RangeError(`index ${i} outside a list of ${list.length}`);
  return value;
}

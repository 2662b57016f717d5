import { fillBlock, rowSlots, type Forest } from './forest.ts';

/** Follows one row from node k to its leaf and returns the leaf's k. */
function descend(forest: Forest, block: Float64Array, base: number, k: number): number {
  const { links, threshold } = forest;
  const sentinel = 2 * forest.width;
  let slot = links[k + 1] ?? sentinel;
  while (slot !== sentinel) {
    // `+(a > b) << 1` compiles to a flag, `a > b ? 2 : 0` to a branch that mispredicts half the time.
    k = ((links[k] ?? 0) + (+((block[base + slot] ?? 0) > (threshold[k >> 1] ?? 0)) << 1)) | 0;
    slot = links[k + 1] ?? sentinel;
  }
  return k;
}

/**
 * Adds the raw scores of the first n rows of a block to `out[offset..offset + n)`. Trees go one at a
 * time over the block; four rows descend together, since one row alone waits on each load in turn.
 */
export function scoreBlock(
  forest: Forest,
  block: Float64Array,
  n: number,
  out: Float64Array,
  offset: number,
): void {
  const { links, threshold, value, roots } = forest;
  const sentinel = 2 * forest.width;
  const s = rowSlots(forest.width);
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t] ?? 0;
    const rootSlot = links[root + 1] ?? sentinel;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const b0 = i * s;
      const b1 = b0 + s;
      const b2 = b1 + s;
      const b3 = b2 + s;
      let k0 = root;
      let k1 = root;
      let k2 = root;
      let k3 = root;
      let o0 = rootSlot;
      let o1 = rootSlot;
      let o2 = rootSlot;
      let o3 = rootSlot;
      // A row at a leaf reads the sentinel and stays, so all four step until all four are at leaves:
      // the sentinel is the largest slot, so the AND of the slots equals it only when all do.
      while ((o0 & o1 & o2 & o3) !== sentinel) {
        k0 = ((links[k0] ?? 0) + (+((block[b0 + o0] ?? 0) > (threshold[k0 >> 1] ?? 0)) << 1)) | 0;
        o0 = links[k0 + 1] ?? sentinel;
        k1 = ((links[k1] ?? 0) + (+((block[b1 + o1] ?? 0) > (threshold[k1 >> 1] ?? 0)) << 1)) | 0;
        o1 = links[k1 + 1] ?? sentinel;
        k2 = ((links[k2] ?? 0) + (+((block[b2 + o2] ?? 0) > (threshold[k2 >> 1] ?? 0)) << 1)) | 0;
        o2 = links[k2 + 1] ?? sentinel;
        k3 = ((links[k3] ?? 0) + (+((block[b3 + o3] ?? 0) > (threshold[k3 >> 1] ?? 0)) << 1)) | 0;
        o3 = links[k3 + 1] ?? sentinel;
      }
      out[offset + i] = (out[offset + i] ?? 0) + (value[k0 >> 1] ?? 0);
      out[offset + i + 1] = (out[offset + i + 1] ?? 0) + (value[k1 >> 1] ?? 0);
      out[offset + i + 2] = (out[offset + i + 2] ?? 0) + (value[k2 >> 1] ?? 0);
      out[offset + i + 3] = (out[offset + i + 3] ?? 0) + (value[k3 >> 1] ?? 0);
    }
    for (; i < n; i++) {
      const leaf = descend(forest, block, i * s, root);
      out[offset + i] = (out[offset + i] ?? 0) + (value[leaf >> 1] ?? 0);
    }
  }
}

/** Rows per block when scoring column-major data: small enough to stay in cache. */
export const blockRows = 256;

/** Adds the raw scores of every row of column-major data to `out`. */
export function scoreColumns(
  forest: Forest,
  columns: readonly Float64Array[],
  rows: number,
  out: Float64Array,
): void {
  const block = new Float64Array(blockRows * rowSlots(forest.width));
  for (let start = 0; start < rows; start += blockRows) {
    const n = Math.min(blockRows, rows - start);
    fillBlock(columns, start, n, block);
    scoreBlock(forest, block, n, out, start);
  }
}

/**
 * `start` plus the raw score of row i of a block, adding tree values in the same order as scoreBlock.
 * Four trees descend together, as four rows do in scoreBlock.
 */
export function scoreRowAt(forest: Forest, block: Float64Array, i: number, start = 0): number {
  const { links, threshold, value, roots } = forest;
  const sentinel = 2 * forest.width;
  const base = i * rowSlots(forest.width);
  let sum = start;
  let t = 0;
  for (; t + 4 <= roots.length; t += 4) {
    let k0 = roots[t] ?? 0;
    let k1 = roots[t + 1] ?? 0;
    let k2 = roots[t + 2] ?? 0;
    let k3 = roots[t + 3] ?? 0;
    let o0 = links[k0 + 1] ?? sentinel;
    let o1 = links[k1 + 1] ?? sentinel;
    let o2 = links[k2 + 1] ?? sentinel;
    let o3 = links[k3 + 1] ?? sentinel;
    while ((o0 & o1 & o2 & o3) !== sentinel) {
      k0 = ((links[k0] ?? 0) + (+((block[base + o0] ?? 0) > (threshold[k0 >> 1] ?? 0)) << 1)) | 0;
      o0 = links[k0 + 1] ?? sentinel;
      k1 = ((links[k1] ?? 0) + (+((block[base + o1] ?? 0) > (threshold[k1 >> 1] ?? 0)) << 1)) | 0;
      o1 = links[k1 + 1] ?? sentinel;
      k2 = ((links[k2] ?? 0) + (+((block[base + o2] ?? 0) > (threshold[k2 >> 1] ?? 0)) << 1)) | 0;
      o2 = links[k2 + 1] ?? sentinel;
      k3 = ((links[k3] ?? 0) + (+((block[base + o3] ?? 0) > (threshold[k3 >> 1] ?? 0)) << 1)) | 0;
      o3 = links[k3 + 1] ?? sentinel;
    }
    sum += value[k0 >> 1] ?? 0;
    sum += value[k1 >> 1] ?? 0;
    sum += value[k2 >> 1] ?? 0;
    sum += value[k3 >> 1] ?? 0;
  }
  for (; t < roots.length; t++) sum += value[descend(forest, block, base, roots[t] ?? 0) >> 1] ?? 0;
  return sum;
}

import { averagePathLength, type IsolationTree } from './tree.ts';

/**
 * The trees of a model compiled for scoring, in flat arrays with siblings adjacent. Rows are scored
 * from a row-major block (see `fillBlock`) in which each row holds its values twice, missing as
 * -Infinity then as +Infinity, and a final sentinel slot. Node k reads slot `slot[k]` of the row and
 * moves to `child[k]` (its left child) when the value is <= `threshold[k]`, else to `child[k] + 1`.
 * Reading the -Infinity copy sends missing values left, the +Infinity copy right. A leaf is its own
 * child, reads the sentinel and has threshold +Infinity, so a row that reached it stays; `pathLength`
 * of a leaf is its depth plus c(size), the path length a row ending there is credited with.
 */
export interface CompiledForest {
  roots: Int32Array;
  slot: Int32Array;
  threshold: Float64Array;
  child: Int32Array;
  pathLength: Float64Array;
  /** Features per row; a block row has 2 × width + 1 slots and the sentinel is slot 2 × width. */
  width: number;
}

/** Lays out valid trees (see parse.ts) breadth-first, one after another. */
export function compileForest(trees: readonly IsolationTree[], width: number): CompiledForest {
  const total = trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  const forest: CompiledForest = {
    roots: new Int32Array(trees.length),
    slot: new Int32Array(total),
    threshold: new Float64Array(total),
    child: new Int32Array(total),
    pathLength: new Float64Array(total),
    width,
  };
  const { slot, threshold, child, pathLength } = forest;
  let next = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = next;
    const queue = [{ node: 0, at: next++, depth: 0 }];
    for (let q = 0; q < queue.length; q++) {
      const { node, at, depth } = queue[q] ?? { node: 0, at: 0, depth: 0 };
      const feature = tree.feature[node] ?? -1;
      if (feature < 0) {
        slot[at] = 2 * width;
        threshold[at] = Infinity;
        child[at] = at;
        pathLength[at] = depth + averagePathLength(tree.size[node] ?? 0);
        continue;
      }
      slot[at] = tree.missingLeft[node] === 1 ? feature : width + feature;
      threshold[at] = tree.threshold[node] ?? 0;
      child[at] = next;
      queue.push({ node: tree.left[node] ?? 0, at: next, depth: depth + 1 });
      queue.push({ node: tree.right[node] ?? 0, at: next + 1, depth: depth + 1 });
      next += 2;
    }
  });
  return forest;
}

/** Slots of one block row for data of `width` features. */
export function rowSlots(width: number): number {
  return 2 * width + 1;
}

/** Writes value `x` of feature `f` into the block row starting at `base` (see CompiledForest). */
export function putValue(block: Float64Array, base: number, width: number, f: number, x: number): void {
  const missing = x !== x;
  block[base + f] = missing ? -Infinity : x;
  block[base + width + f] = missing ? Infinity : x;
}

/**
 * Adds, for each of the first n rows of a block, the path lengths of all trees to `sums[i]`. Trees go
 * one at a time over the block so each stays in cache; four rows descend together, since one row alone
 * waits on each load in turn.
 */
export function addPathLengths(
  forest: CompiledForest,
  block: Float64Array,
  n: number,
  sums: Float64Array,
): void {
  const { roots, slot, threshold, child, pathLength } = forest;
  const sentinel = 2 * forest.width;
  const s = rowSlots(forest.width);
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t] ?? 0;
    const rootSlot = slot[root] ?? sentinel;
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
      // A row at a leaf reads the sentinel and stays, so all four step until all four are at leaves;
      // slots never exceed the sentinel, so their AND equals it only when each of them does.
      while ((o0 & o1 & o2 & o3) !== sentinel) {
        k0 = ((child[k0] ?? 0) + +((block[b0 + o0] ?? 0) > (threshold[k0] ?? 0))) | 0;
        o0 = slot[k0] ?? sentinel;
        k1 = ((child[k1] ?? 0) + +((block[b1 + o1] ?? 0) > (threshold[k1] ?? 0))) | 0;
        o1 = slot[k1] ?? sentinel;
        k2 = ((child[k2] ?? 0) + +((block[b2 + o2] ?? 0) > (threshold[k2] ?? 0))) | 0;
        o2 = slot[k2] ?? sentinel;
        k3 = ((child[k3] ?? 0) + +((block[b3 + o3] ?? 0) > (threshold[k3] ?? 0))) | 0;
        o3 = slot[k3] ?? sentinel;
      }
      sums[i] = (sums[i] ?? 0) + (pathLength[k0] ?? 0);
      sums[i + 1] = (sums[i + 1] ?? 0) + (pathLength[k1] ?? 0);
      sums[i + 2] = (sums[i + 2] ?? 0) + (pathLength[k2] ?? 0);
      sums[i + 3] = (sums[i + 3] ?? 0) + (pathLength[k3] ?? 0);
    }
    for (; i < n; i++) {
      const base = i * s;
      let k = root;
      for (let o = rootSlot; o !== sentinel; o = slot[k] ?? sentinel) {
        k = ((child[k] ?? 0) + +((block[base + o] ?? 0) > (threshold[k] ?? 0))) | 0;
      }
      sums[i] = (sums[i] ?? 0) + (pathLength[k] ?? 0);
    }
  }
}

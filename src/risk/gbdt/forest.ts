import type { TreeNodes } from './nodes.ts';

/**
 * The trees of a model compiled for scoring. Rows are scored from a row-major block (see `fillBlock`)
 * in which each row holds its values twice, missing as +Infinity then as -Infinity, and a final
 * sentinel slot. A node is addressed by k = 2 × its index: `links[k]` is 2 × its left child (the right
 * child follows it), `links[k + 1]` the slot it reads; a row goes right when that slot > threshold. Reading
 * the +Infinity copy sends missing values right, the -Infinity copy left. A leaf links to itself, reads
 * the sentinel and has threshold +Infinity, so a row that reached it stays.
 */
export interface Forest {
  links: Int32Array;
  /** Threshold of node k at `k >> 1`. */
  threshold: Float64Array;
  /** Value of node k at `k >> 1`. */
  value: Float64Array;
  /** k of each tree's root. */
  roots: Int32Array;
  /** Features per row; a block row has 2 × width + 1 slots and the sentinel is slot 2 × width. */
  width: number;
}

/** Lays out valid trees (see load.ts) breadth-first with adjacent siblings. */
export function compileForest(trees: readonly TreeNodes[], width: number): Forest {
  const total = trees.reduce((sum, tree) => sum + tree.value.length, 0);
  const forest: Forest = {
    links: new Int32Array(2 * total),
    threshold: new Float64Array(total),
    value: new Float64Array(total),
    roots: new Int32Array(trees.length),
    width,
  };
  const { links, threshold, value } = forest;
  let next = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = 2 * next;
    const queue = [0];
    const placed = [next++];
    for (let q = 0; q < queue.length; q++) {
      const old = queue[q] ?? 0;
      const at = placed[q] ?? 0;
      const feature = tree.feature[old] ?? -1;
      value[at] = tree.value[old] ?? 0;
      if (feature < 0) {
        links[2 * at] = 2 * at;
        links[2 * at + 1] = 2 * width;
        threshold[at] = Infinity;
        continue;
      }
      links[2 * at] = 2 * next;
      links[2 * at + 1] = tree.missingLeft[old] === 1 ? width + feature : feature;
      threshold[at] = tree.threshold[old] ?? 0;
      queue.push(tree.left[old] ?? 0, tree.right[old] ?? 0);
      placed.push(next, next + 1);
      next += 2;
    }
  });
  return forest;
}

/** Slots of one block row for data of `width` features. */
export function rowSlots(width: number): number {
  return 2 * width + 1;
}

/** Copies rows `start..start + n` of column-major data into a block (see Forest). */
export function fillBlock(
  columns: readonly Float64Array[],
  start: number,
  n: number,
  block: Float64Array,
): void {
  const width = columns.length;
  const slots = rowSlots(width);
  for (let f = 0; f < width; f++) {
    const column = columns[f];
    if (column === undefined) continue;
    for (let i = 0, at = f; i < n; i++, at += slots) {
      const x = column[start + i] ?? NaN;
      const missing = x !== x;
      block[at] = missing ? Infinity : x;
      block[at + width] = missing ? -Infinity : x;
    }
  }
  for (let i = 0, at = 2 * width; i < n; i++, at += slots) block[at] = 0;
}

/** Copies one row given in feature order into the first row of a block. */
export function fillRow(row: ArrayLike<number>, width: number, block: Float64Array): void {
  for (let f = 0; f < width; f++) {
    const x = row[f] ?? NaN;
    const missing = x !== x;
    block[f] = missing ? Infinity : x;
    block[f + width] = missing ? -Infinity : x;
  }
  block[2 * width] = 0;
}

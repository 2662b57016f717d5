/**
 * One isolation tree as flat arrays indexed by node; node 0 is the root. An internal node sends a row
 * left when `x <= threshold`, right when `x > threshold`, and a missing (NaN) value to the side that
 * held more of the node's training samples (`missingLeft` 1 for left). A leaf has feature -1, children
 * -1 and threshold 0. `size` counts the training samples that reached each node.
 */
export interface IsolationTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  size: Int32Array;
}

const eulerGamma = 0.5772156649015329;

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n keys, which is
 * the expected further depth of a leaf still holding n samples; 0 for n <= 1.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + eulerGamma) - (2 * (n - 1)) / n;
}

interface Split {
  feature: number;
  threshold: number;
  missingLeft: boolean;
}

/**
 * A random split of `sample[start..end)`: a feature chosen uniformly among those whose present values
 * are not all equal, and a threshold uniform in [min, max) of that feature, so both sides get a sample.
 * Undefined when no feature has spread.
 */
function randomSplit(
  columns: readonly Float64Array[],
  sample: Int32Array,
  start: number,
  end: number,
  random: () => number,
): Split | undefined {
  const spread: { feature: number; min: number; max: number }[] = [];
  columns.forEach((column, feature) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const x = column[sample[i] ?? 0] ?? NaN;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (max > min) spread.push({ feature, min, max });
  });
  const chosen = spread[Math.floor(random() * spread.length)];
  if (chosen === undefined) return undefined;
  const { feature, min, max } = chosen;
  let threshold = min + random() * (max - min);
  if (!(threshold < max)) threshold = min; // rounding reached max: keep the max on the right
  const column = columns[feature] ?? new Float64Array(0);
  let left = 0;
  let right = 0;
  for (let i = start; i < end; i++) {
    const x = column[sample[i] ?? 0] ?? NaN;
    if (x <= threshold) left++;
    else if (x > threshold) right++;
  }
  return { feature, threshold, missingLeft: left >= right };
}

/** Reorders `sample[start..end)` so the rows going left come first; returns where the right side starts. */
function partition(
  column: Float64Array,
  sample: Int32Array,
  start: number,
  end: number,
  split: Split,
): number {
  let mid = start;
  for (let i = start; i < end; i++) {
    const row = sample[i] ?? 0;
    const x = column[row] ?? NaN;
    if (x <= split.threshold || (x !== x && split.missingLeft)) {
      sample[i] = sample[mid] ?? 0;
      sample[mid++] = row;
    }
  }
  return mid;
}

/**
 * Grows one tree on the rows in `sample` (reordered in place) until every leaf holds one row, holds rows
 * that no feature tells apart, or sits at `maxDepth`. A parent is numbered before its children, and siblings are adjacent.
 */
export function growTree(
  columns: readonly Float64Array[],
  sample: Int32Array,
  maxDepth: number,
  random: () => number,
): IsolationTree {
  const nodes = {
    feature: [-1],
    threshold: [0],
    missingLeft: [0],
    left: [-1],
    right: [-1],
    size: [sample.length],
  };
  const addLeaf = (size: number): number => {
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.missingLeft.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    return nodes.size.push(size) - 1;
  };
  const stack = [{ node: 0, start: 0, end: sample.length, depth: 0 }];
  for (let job = stack.pop(); job !== undefined; job = stack.pop()) {
    const { node, start, end, depth } = job;
    if (depth >= maxDepth || end - start <= 1) continue;
    const split = randomSplit(columns, sample, start, end, random);
    if (split === undefined) continue;
    const mid = partition(columns[split.feature] ?? new Float64Array(0), sample, start, end, split);
    const left = addLeaf(mid - start);
    const right = addLeaf(end - mid);
    nodes.feature[node] = split.feature;
    nodes.threshold[node] = split.threshold;
    nodes.missingLeft[node] = split.missingLeft ? 1 : 0;
    nodes.left[node] = left;
    nodes.right[node] = right;
    stack.push({ node: right, start: mid, end, depth: depth + 1 });
    stack.push({ node: left, start, end: mid, depth: depth + 1 });
  }
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    missingLeft: Uint8Array.from(nodes.missingLeft),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    size: Int32Array.from(nodes.size),
  };
}

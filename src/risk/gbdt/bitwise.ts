import type { TreeNodes } from './nodes.ts';

/**
 * Trees laid out to score a group of rows at a time with one bit per row (see bitwise-kernel.ts).
 * For each group, every threshold the trees use is compared once with the group's values, as a
 * mask of the rows above it; a tree then sends the mask of rows at each node on to its children
 * with two bitwise operations, and records at each depth which rows went right. Those bits spell
 * each row's path, which indexes the tree's leaf values. Rows go right when x > threshold, or when
 * x is missing and the node sends missing values right, exactly as in the trees.
 */
export interface BitForest {
  /** Sorted distinct thresholds of each feature, padded with +Infinity to `span[f]` slots. */
  cuts: Float64Array;
  /** Where the thresholds of feature f start in `cuts`. */
  cutStart: Int32Array;
  /** Distinct thresholds of feature f. */
  cutCount: Int32Array;
  /** Slots of feature f in `cuts`: a power of two above its threshold count. */
  span: Int32Array;
  /** Features the trees split on. */
  features: Int32Array;
  /**
   * Where the masks of feature f's thresholds start among the comparisons, for nodes that send
   * missing values right and left; -1 when no node does.
   */
  rightAt: Int32Array;
  leftAt: Int32Array;
  /** Comparisons per group of rows: one per threshold and missing-value direction. */
  comparisons: number;
  /**
   * Internal nodes in breadth-first order, tree after tree, two words each: the comparison, and
   * `left | right << 8 | depth << 16` where left and right are the children's positions among the
   * tree's internal nodes (a leaf child gets the position after the last, which nothing reads).
   */
  nodes: Int32Array;
  /** First internal node of tree t at `treeNodes[t]`; the last entry is the node count. */
  treeNodes: Int32Array;
  /** Leaf values of tree t by path, from `leafAt[t]`: bit d of a path is 1 when it went right at depth d. */
  leaves: Float64Array;
  leafAt: Int32Array;
}

/** Deepest leaf a bitwise forest allows: a path then fits in a byte. */
const maxDepth = 8;

/** A tree's nodes breadth-first from the root, with their depths and paths. */
function breadthFirst(tree: TreeNodes): { node: number; depth: number; path: number }[] {
  const order = [{ node: 0, depth: 0, path: 0 }];
  for (let q = 0; q < order.length; q++) {
    const { node, depth, path } = order[q] as { node: number; depth: number; path: number };
    if ((tree.feature[node] ?? -1) < 0) continue;
    order.push({ node: tree.left[node] ?? 0, depth: depth + 1, path });
    order.push({ node: tree.right[node] ?? 0, depth: depth + 1, path: path | (1 << depth) });
  }
  return order;
}

/** Sorted distinct thresholds per feature. */
function thresholdsOf(trees: readonly TreeNodes[], width: number): number[][] {
  const sets = Array.from({ length: width }, () => new Set<number>());
  for (const tree of trees) {
    tree.feature.forEach((f, k) => {
      if (f >= 0) sets[f]?.add(tree.threshold[k] ?? 0);
    });
  }
  return sets.map((set) => [...set].sort((a, b) => a - b));
}

/** Compiles valid trees (see load.ts) on `width` features; undefined when a leaf is deeper than 8. */
export function compileBitForest(trees: readonly TreeNodes[], width: number): BitForest | undefined {
  const orders = trees.map(breadthFirst);
  if (orders.some((order) => order.some(({ depth }) => depth > maxDepth))) return undefined;
  const thresholds = thresholdsOf(trees, width);
  const span = Int32Array.from(thresholds, (t) => 2 ** Math.ceil(Math.log2(t.length + 1)));
  const cutStart = new Int32Array(width);
  for (let f = 1; f < width; f++) cutStart[f] = (cutStart[f - 1] ?? 0) + (span[f - 1] ?? 0);
  const cuts = new Float64Array((cutStart[width - 1] ?? 0) + (span[width - 1] ?? 0)).fill(Infinity);
  thresholds.forEach((t, f) => cuts.set(t, cutStart[f]));
  const rightAt = new Int32Array(width).fill(-1);
  const leftAt = new Int32Array(width).fill(-1);
  let comparisons = 0;
  const comparison = (tree: TreeNodes, k: number): number => {
    const f = tree.feature[k] ?? 0;
    const at = tree.missingLeft[k] === 1 ? leftAt : rightAt;
    if ((at[f] ?? -1) < 0) {
      at[f] = comparisons;
      comparisons += thresholds[f]?.length ?? 0;
    }
    return (at[f] ?? 0) + (thresholds[f]?.indexOf(tree.threshold[k] ?? 0) ?? 0);
  };
  const nodes: number[] = [];
  const treeNodes = new Int32Array(trees.length + 1);
  const leafAt = new Int32Array(trees.length);
  const leaves: number[] = [];
  trees.forEach((tree, t) => {
    const order = orders[t] ?? [];
    const internal = order.filter(({ node }) => (tree.feature[node] ?? -1) >= 0);
    const position = new Map(internal.map(({ node }, i) => [node, i]));
    const place = (node: number) => position.get(node) ?? internal.length;
    treeNodes[t] = nodes.length / 2;
    for (const { node, depth } of internal) {
      const children = place(tree.left[node] ?? 0) | (place(tree.right[node] ?? 0) << 8);
      nodes.push(comparison(tree, node), children | (depth << 16));
    }
    leafAt[t] = leaves.length;
    const size = 2 ** Math.max(...order.map(({ depth }) => depth));
    const values = new Array<number>(size).fill(0);
    for (const { node, path } of order)
      if ((tree.feature[node] ?? -1) < 0) values[path] = tree.value[node] ?? 0;
    leaves.push(...values);
  });
  treeNodes[trees.length] = nodes.length / 2;
  return {
    cuts,
    cutStart,
    cutCount: Int32Array.from(thresholds, (t) => t.length),
    span,
    features: Int32Array.from(thresholds.flatMap((t, f) => (t.length > 0 ? [f] : []))),
    rightAt,
    leftAt,
    comparisons,
    nodes: Int32Array.from(nodes),
    treeNodes,
    leaves: Float64Array.from(leaves),
    leafAt,
  };
}

/**
 * What each leaf of a bitwise forest adds to the path contributions (Saabas) of a row that reaches
 * it, indexed like `leaves` (the leaf at `leafAt[t] + path`): steps `stepStart[l]` to
 * `stepStart[l + 1] - 1`, root first, each the feature a node on the way split on, the value of the
 * child the row went to and the value of the node it left.
 */
export interface LeafSteps {
  stepStart: Int32Array;
  feature: Int32Array;
  to: Float64Array;
  from: Float64Array;
}

/** The steps to each leaf of `forest`, compiled from the same `trees`. */
export function leafStepsOf(trees: readonly TreeNodes[], forest: BitForest): LeafSteps {
  const perLeaf: { feature: number; to: number; from: number }[][] = Array.from(
    { length: forest.leaves.length },
    () => [],
  );
  trees.forEach((tree, t) => {
    const first = forest.leafAt[t] ?? 0;
    const walk = (
      node: number,
      depth: number,
      path: number,
      steps: { feature: number; to: number; from: number }[],
    ) => {
      const feature = tree.feature[node] ?? -1;
      if (feature < 0) {
        perLeaf[first + path] = steps;
        return;
      }
      const from = tree.value[node] ?? 0;
      const left = tree.left[node] ?? 0;
      const right = tree.right[node] ?? 0;
      walk(left, depth + 1, path, [...steps, { feature, to: tree.value[left] ?? 0, from }]);
      walk(right, depth + 1, path | (1 << depth), [...steps, { feature, to: tree.value[right] ?? 0, from }]);
    };
    walk(0, 0, 0, []);
  });
  const stepStart = new Int32Array(perLeaf.length + 1);
  perLeaf.forEach((steps, l) => (stepStart[l + 1] = (stepStart[l] ?? 0) + steps.length));
  const all = perLeaf.flat();
  return {
    stepStart,
    feature: Int32Array.from(all, (s) => s.feature),
    to: Float64Array.from(all, (s) => s.to),
    from: Float64Array.from(all, (s) => s.from),
  };
}

import type { BinnedDataset } from './binning.ts';
import { buildHistogram, subtractHistogram, type HistogramPool } from './histogram.ts';
import { TreeBuilder, type TreeNodes } from './nodes.ts';
import type { GbdtParams } from './params.ts';
import { findBestSplit, type Split, type Sums } from './split.ts';

/** What growing one tree needs; the buffers are owned by the boosting loop and reused. */
export interface GrowInput {
  binned: BinnedDataset;
  grad: Float64Array;
  hess: Float64Array;
  /** Sampled rows in `rows[0..count)`, ascending; reordered in place as nodes split. */
  rows: Uint32Array;
  count: number;
  /** Scratch as long as `rows`. */
  scratch: Uint32Array;
  /** Scratch of 2 * `rows.length` for gathered gradients. */
  gathered: Float64Array;
  /** Scratch of 256: whether each bin goes left in the split being applied. */
  goesLeft: Uint8Array;
  /** Features this tree may split on. */
  features: Int32Array;
  pool: HistogramPool;
  params: GbdtParams;
}

/** A grown tree, and where its leaves' sampled rows ended up: `rows[start..end)` of the input. */
export interface GrownTree {
  nodes: TreeNodes;
  /** Per node, the bin of its split (rows with bin <= it go left, as x <= threshold); -1 for a leaf. */
  splitBins: Int32Array;
  leaves: { start: number; end: number; value: number }[];
}

/** A leaf that may still split: its rows are `rows[start..end)`. */
interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sums: Sums;
  hist: Float64Array;
  split: Split;
}

/** Leaf value with L2 regularisation and shrinkage. */
function leafValue(sums: Sums, params: GbdtParams): number {
  return (-sums.g / (sums.h + params.l2)) * params.learningRate;
}

/** Stable in-place partition of `rows[start..end)` by the split; returns where the right side begins. */
function partition(input: GrowInput, start: number, end: number, split: Split): number {
  const { rows, scratch, binned, goesLeft } = input;
  const column = binned.bins[split.feature] ?? new Uint8Array(0);
  for (let b = 0; b < binned.missingBin; b++) goesLeft[b] = b <= split.bin ? 1 : 0;
  goesLeft[binned.missingBin] = split.missingLeft ? 1 : 0;
  const kernel = input.pool.kernel;
  if (kernel && rows === kernel.sampled && goesLeft === kernel.goesLeft)
    return kernel.partition(start, end, split.feature);
  // Branch-free: write each row to both sides and advance one; a data-dependent branch mispredicts.
  let left = start;
  let right = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i] ?? 0;
    const toLeft = goesLeft[column[row] ?? 0] ?? 0;
    rows[left] = row;
    scratch[right] = row;
    left += toLeft;
    right += 1 - toLeft;
  }
  rows.set(scratch.subarray(0, right), left);
  return left;
}

/** Grows one tree leaf-wise (largest gain first) from gradient histograms, within maxLeaves and maxDepth. */
export function growTree(input: GrowInput): GrownTree {
  const { binned, grad, hess, rows, count, features, pool, params, gathered } = input;
  const builder = new TreeBuilder();
  const open: OpenLeaf[] = [];
  const leaves: GrownTree['leaves'] = [];
  const splitBins: number[] = [];

  /** Registers a new leaf; keeps it open (holding its histogram) only if it can split. */
  const consider = (
    node: number,
    start: number,
    end: number,
    depth: number,
    sums: Sums,
    hist: Float64Array,
  ) => {
    const split =
      depth < params.maxDepth && end - start >= 2 * params.minSamplesLeaf
        ? findBestSplit(hist, binned, features, sums, params)
        : undefined;
    if (split !== undefined) return void open.push({ node, start, end, depth, sums, hist, split });
    pool.give(hist);
    leaves.push({ start, end, value: leafValue(sums, params) });
  };

  const sums: Sums = { g: 0, h: 0, count };
  for (let i = 0; i < count; i++) {
    const row = rows[i] ?? 0;
    sums.g += grad[row] ?? 0;
    sums.h += hess[row] ?? 0;
  }
  const root = builder.addLeaf(leafValue(sums, params), sums.h);
  const rootHist = pool.take();
  buildHistogram(
    rootHist,
    binned,
    features,
    { rows, start: 0, end: count },
    grad,
    hess,
    gathered,
    pool.kernel,
  );
  consider(root, 0, count, 0, sums, rootHist);

  for (let leafCount = 1; leafCount < params.maxLeaves && open.length > 0; leafCount++) {
    let pick = 0;
    for (let i = 1; i < open.length; i++) {
      if ((open[i]?.split.gain ?? 0) > (open[pick]?.split.gain ?? 0)) pick = i;
    }
    const leaf = open[pick];
    if (leaf === undefined) break;
    open.splice(pick, 1);
    const { split, start, end } = leaf;
    const middle = partition(input, start, end, split);
    const left = builder.addLeaf(leafValue(split.left, params), split.left.h);
    const right = builder.addLeaf(leafValue(split.right, params), split.right.h);
    builder.split(leaf.node, split.feature, split.threshold, split.missingLeft, split.gain, left, right);
    splitBins[leaf.node] = split.bin;

    // Build the smaller child's histogram; the parent's becomes the larger child's by subtraction.
    const leftSmaller = middle - start <= end - middle;
    const small = pool.take();
    const smallRows = leftSmaller ? { rows, start, end: middle } : { rows, start: middle, end };
    buildHistogram(small, binned, features, smallRows, grad, hess, gathered, pool.kernel);
    subtractHistogram(leaf.hist, small, binned, features, pool.kernel);
    const leftHist = leftSmaller ? small : leaf.hist;
    const rightHist = leftSmaller ? leaf.hist : small;
    consider(left, start, middle, leaf.depth + 1, split.left, leftHist);
    consider(right, middle, end, leaf.depth + 1, split.right, rightHist);
  }
  for (const leaf of open) {
    pool.give(leaf.hist);
    leaves.push({ start: leaf.start, end: leaf.end, value: leafValue(leaf.sums, params) });
  }
  const nodes = builder.finish();
  return {
    nodes,
    splitBins: Int32Array.from(nodes.feature, (f, k) => (f < 0 ? -1 : (splitBins[k] ?? 0))),
    leaves,
  };
}

import type { BinnedDataset } from './binning.ts';
import { kernelWidth, type HistogramKernel } from './histogram-kernel.ts';

/**
 * Gradient histograms: per feature, per bin, three slots (gradient sum, hessian sum, row count),
 * laid out as `hist[(feature * (missingBin + 1) + bin) * 3 + slot]`.
 */
export const slots = 3;

/**
 * Reuses histogram buffers across nodes and trees, so growing a tree allocates almost nothing. With
 * a kernel, its histograms come first, which `buildHistogram` fills in WebAssembly.
 */
export class HistogramPool {
  private readonly free: Float64Array[] = [];

  constructor(
    private readonly size: number,
    readonly kernel?: HistogramKernel,
  ) {}

  take(): Float64Array {
    return this.kernel?.take() ?? this.free.pop() ?? new Float64Array(this.size);
  }

  give(hist: Float64Array): void {
    if (this.kernel?.holds(hist)) this.kernel.give(hist);
    else this.free.push(hist);
  }
}

/** Length of one histogram for this binned data. */
export function histogramSize(binned: BinnedDataset): number {
  return binned.bins.length * (binned.missingBin + 1) * slots;
}

/** The rows of one node: `rows[start..end)`. */
export interface NodeRows {
  rows: Uint32Array;
  start: number;
  end: number;
}

/** Adds the node's rows to the histogram of feature f; `gh` holds their gradients and hessians in turn. */
function addOne(
  hist: Float64Array,
  binned: BinnedDataset,
  f: number,
  node: NodeRows,
  gh: Float64Array,
): void {
  const a = f * (binned.missingBin + 1) * 3;
  const column = binned.bins[f] ?? new Uint8Array(0);
  const { rows, start, end } = node;
  for (let i = start, at = 0; i < end; i++, at += 2) {
    const k = a + (column[rows[i] ?? 0] ?? 0) * 3;
    hist[k] = (hist[k] ?? 0) + (gh[at] ?? 0);
    hist[k + 1] = (hist[k + 1] ?? 0) + (gh[at + 1] ?? 0);
    hist[k + 2] = (hist[k + 2] ?? 0) + 1;
  }
}

/** Like addOne for features f[j..j+4) in one pass over the rows, which saves loads and overlaps the updates. */
function addFour(
  hist: Float64Array,
  binned: BinnedDataset,
  f: Int32Array,
  j: number,
  node: NodeRows,
  gh: Float64Array,
) {
  const width = (binned.missingBin + 1) * 3;
  const [f0 = 0, f1 = 0, f2 = 0, f3 = 0] = f.subarray(j, j + 4);
  const [a0, a1, a2, a3] = [f0 * width, f1 * width, f2 * width, f3 * width];
  const empty = new Uint8Array(0);
  const [c0 = empty, c1 = empty, c2 = empty, c3 = empty] = [f0, f1, f2, f3].map((c) => binned.bins[c]);
  const { rows, start, end } = node;
  for (let i = start, at = 0; i < end; i++, at += 2) {
    const row = rows[i] ?? 0;
    const g = gh[at] ?? 0;
    const h = gh[at + 1] ?? 0;
    let k = a0 + (c0[row] ?? 0) * 3;
    hist[k] = (hist[k] ?? 0) + g;
    hist[k + 1] = (hist[k + 1] ?? 0) + h;
    hist[k + 2] = (hist[k + 2] ?? 0) + 1;
    k = a1 + (c1[row] ?? 0) * 3;
    hist[k] = (hist[k] ?? 0) + g;
    hist[k + 1] = (hist[k + 1] ?? 0) + h;
    hist[k + 2] = (hist[k + 2] ?? 0) + 1;
    k = a2 + (c2[row] ?? 0) * 3;
    hist[k] = (hist[k] ?? 0) + g;
    hist[k + 1] = (hist[k + 1] ?? 0) + h;
    hist[k + 2] = (hist[k + 2] ?? 0) + 1;
    k = a3 + (c3[row] ?? 0) * 3;
    hist[k] = (hist[k] ?? 0) + g;
    hist[k + 1] = (hist[k + 1] ?? 0) + h;
    hist[k + 2] = (hist[k + 2] ?? 0) + 1;
  }
}

/**
 * Fills `hist` for the given features from the node's rows, four features per pass over the rows.
 * Only the regions of these features are written (first cleared); other regions keep stale values
 * and must not be read. `scratch` holds 2 values per row. A histogram the kernel holds is filled by
 * the kernel, in the same order of additions.
 */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedDataset,
  features: Int32Array,
  node: NodeRows,
  grad: Float64Array,
  hess: Float64Array,
  scratch: Float64Array,
  kernel?: HistogramKernel,
): void {
  const { rows, start, end } = node;
  const inKernel = kernel?.holds(hist) === true;
  const gathered = inKernel && kernel ? kernel.gathered : scratch;
  for (let i = start, at = 0; i < end; i++, at += 2) {
    const row = rows[i] ?? 0;
    gathered[at] = grad[row] ?? 0;
    gathered[at + 1] = hess[row] ?? 0;
  }
  const width = (binned.missingBin + 1) * slots;
  const missing = binned.missingBin * slots;
  for (let j = 0; j < features.length; j++) {
    const f = features[j] ?? 0;
    const base = f * width;
    // only the feature's value bins and its missing bin are ever written or read
    hist.fill(0, base, base + (binned.binCount[f] ?? 0) * slots);
    hist.fill(0, base + missing, base + width);
  }
  if (inKernel && kernel) {
    const rowsAt = kernel.rowsAt(rows, start, end);
    for (let j = 0; j < features.length; j += kernelWidth)
      kernel.add(hist, features, j, Math.min(kernelWidth, features.length - j), width, rowsAt, end - start);
    return;
  }
  let j = 0;
  for (; j + 4 <= features.length; j += 4) addFour(hist, binned, features, j, node, gathered);
  for (; j < features.length; j++) addOne(hist, binned, features[j] ?? 0, node, gathered);
}

/**
 * Turns a parent's histogram into its larger child's in place: parent minus the smaller child, over
 * each feature's value bins and missing bin (the bins between are never used); in WebAssembly when
 * the kernel holds both.
 */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  binned: BinnedDataset,
  features: Int32Array,
  kernel?: HistogramKernel,
): void {
  const width = (binned.missingBin + 1) * slots;
  const missing = binned.missingBin * slots;
  if (kernel?.holds(parent) && kernel.holds(child)) {
    for (let j = 0; j < features.length; j++) {
      const base = (features[j] ?? 0) * width;
      // the bins between the value bins and the missing bin stay 0 - 0 in the kernel's memory
      kernel.subtract(parent, child, base, width);
    }
    return;
  }
  for (let j = 0; j < features.length; j++) {
    const f = features[j] ?? 0;
    const base = f * width;
    const end = base + (binned.binCount[f] ?? 0) * slots;
    for (let k = base; k < end; k++) parent[k] = (parent[k] ?? 0) - (child[k] ?? 0);
    for (let k = base + missing; k < base + width; k++) parent[k] = (parent[k] ?? 0) - (child[k] ?? 0);
  }
}

import type { Dataset } from './dataset.ts';

/** Training data as small bin numbers, column-major, with the raw cut values that separate the bins. */
export interface BinnedDataset {
  rows: number;
  /** `bins[f][i]` is the bin of row i for feature f; `missingBin` when the value is NaN. */
  bins: Uint8Array[];
  /** `cuts[f][b]` is the largest value of bin b: bin b holds cuts[b-1] < x <= cuts[b]. */
  cuts: Float64Array[];
  /** Value bins per feature (the missing bin not counted). */
  binCount: Int32Array;
  /** The bin of missing values, the same for every feature; also the largest value bin count. */
  missingBin: number;
}

/** A cut between two adjacent distinct values that keeps `below` on the left and `above` on the right. */
function cutBetween(below: number, above: number): number {
  const middle = below + (above - below) / 2;
  return middle < above ? middle : below;
}

/** Quantile cuts of the non-missing values of one column, at most `maxBins - 1` of them. */
export function quantileCuts(column: Float64Array, maxBins: number): Float64Array {
  const sorted = column.filter((x) => x === x).sort();
  // the distinct values in order and how often each occurs, in typed arrays (one pass, no pushes)
  const distinct = new Float64Array(sorted.length);
  const counts = new Int32Array(sorted.length);
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i] ?? 0;
    if (n > 0 && distinct[n - 1] === x) counts[n - 1] = (counts[n - 1] ?? 0) + 1;
    else {
      distinct[n] = x;
      counts[n++] = 1;
    }
  }
  const cuts: number[] = [];
  if (n <= maxBins) {
    for (let i = 0; i + 1 < n; i++) cuts.push(cutBetween(distinct[i] ?? 0, distinct[i + 1] ?? 0));
    return Float64Array.from(cuts);
  }
  let remaining = sorted.length;
  let filled = 0;
  for (let i = 0; i + 1 < n && cuts.length < maxBins - 1; i++) {
    const count = counts[i] ?? 0;
    filled += count;
    const target = remaining / (maxBins - cuts.length);
    const next = counts[i + 1] ?? 0;
    // Cut here when the bin is full, or when adding the next value would overshoot more than stopping short.
    if (filled >= target || filled + next - target > target - filled) {
      cuts.push(cutBetween(distinct[i] ?? 0, distinct[i + 1] ?? 0));
      remaining -= filled;
      filled = 0;
    }
  }
  return Float64Array.from(cuts);
}

/** The bin of value x given the cuts of its feature (binary search); `missingBin` for NaN. */
export function binOf(x: number, cuts: Float64Array, missingBin: number): number {
  if (x !== x) return missingBin;
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (x <= (cuts[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Bins every feature of the training data into at most `maxBins` quantile bins plus a missing bin. */
export function binDataset(data: Dataset, maxBins: number): BinnedDataset {
  const features = data.columns.length;
  const bins: Uint8Array[] = [];
  const cuts: Float64Array[] = [];
  const binCount = new Int32Array(features);
  for (let f = 0; f < features; f++) {
    const column = data.columns[f] ?? new Float64Array(data.rows);
    const featureCuts = quantileCuts(column, maxBins);
    const featureBins = new Uint8Array(data.rows);
    for (let i = 0; i < data.rows; i++) featureBins[i] = binOf(column[i] ?? NaN, featureCuts, maxBins);
    bins.push(featureBins);
    cuts.push(featureCuts);
    binCount[f] = featureCuts.length + 1;
  }
  return { rows: data.rows, bins, cuts, binCount, missingBin: maxBins };
}

/** Binned datasets by the data and the bins they were made with, while the data lives. */
const binnedOnce = new WeakMap<Dataset, Map<number, BinnedDataset>>();

/**
 * `binDataset`, once per dataset and number of bins: the models trained on the same rows (P(fraud)
 * and P(critical)) share their bins. The data must not change in between, as training never does.
 */
export function binDatasetOnce(data: Dataset, maxBins: number): BinnedDataset {
  let byBins = binnedOnce.get(data);
  if (!byBins) binnedOnce.set(data, (byBins = new Map()));
  let binned = byBins.get(maxBins);
  if (!binned) byBins.set(maxBins, (binned = binDataset(data, maxBins)));
  return binned;
}

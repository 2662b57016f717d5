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
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i] ?? 0;
    if (distinct.length > 0 && distinct[distinct.length - 1] === x)
      counts[counts.length - 1] = (counts.at(-1) ?? 0) + 1;
    else {
      distinct.push(x);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++)
      cuts.push(cutBetween(distinct[i] ?? 0, distinct[i + 1] ?? 0));
    return Float64Array.from(cuts);
  }
  let remaining = sorted.length;
  let filled = 0;
  for (let i = 0; i + 1 < distinct.length && cuts.length < maxBins - 1; i++) {
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

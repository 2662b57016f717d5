import type { BinnedDataset } from './binning.ts';
import { slots } from './histogram.ts';
import type { GbdtParams } from './params.ts';

/** Gradient sum, hessian sum and row count of a set of rows. */
export interface Sums {
  g: number;
  h: number;
  count: number;
}

/** The best way found to split a node: rows with bin <= `bin` go left, missing rows per `missingLeft`. */
export interface Split {
  gain: number;
  feature: number;
  bin: number;
  /** Raw value: x <= threshold goes left. */
  threshold: number;
  missingLeft: boolean;
  left: Sums;
  right: Sums;
}

/** Structure score of a leaf, G² / (H + λ); gains are differences of these. */
function score(g: number, h: number, l2: number): number {
  return (g * g) / (h + l2);
}

/**
 * Scans the histogram of a node for the split with the largest gain under the child constraints.
 * Each candidate cut is tried with missing values on either side; with no missing values in the node
 * they default to the side with the larger hessian. Returns undefined when no split gains.
 */
export function findBestSplit(
  hist: Float64Array,
  binned: BinnedDataset,
  features: Int32Array,
  total: Sums,
  params: GbdtParams,
): Split | undefined {
  const { l2, minChildWeight, minSamplesLeaf } = params;
  const stride = slots; // a local: an imported binding costs a getter call per use under tsx
  const width = (binned.missingBin + 1) * stride;
  // locals, which the loop reads without going back to the object
  const totalG = total.g;
  const totalH = total.h;
  const totalCount = total.count;
  const missingBin = binned.missingBin;
  const parentScore = score(totalG, totalH, l2);
  let best = parentScore + 1e-12;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft = false;
  let bestG = 0;
  let bestH = 0;
  let bestCount = 0;
  for (let j = 0; j < features.length; j++) {
    const f = features[j] ?? 0;
    const base = f * width;
    const bins = binned.binCount[f] ?? 0;
    const m = base + missingBin * stride;
    const mg = hist[m] ?? 0;
    const mh = hist[m + 1] ?? 0;
    const mc = hist[m + 2] ?? 0;
    let lg = 0;
    let lh = 0;
    let lc = 0;
    for (let b = 0; b < bins; b++) {
      const k = base + b * stride;
      lg += hist[k] ?? 0;
      lh += hist[k + 1] ?? 0;
      lc += hist[k + 2] ?? 0;
      if (b === bins - 1 && mc === 0) break;
      // Missing values to the right (for the last bin: present left, missing right).
      let rh = totalH - lh;
      let rc = totalCount - lc;
      if (lc >= minSamplesLeaf && rc >= minSamplesLeaf && lh >= minChildWeight && rh >= minChildWeight) {
        const gain = score(lg, lh, l2) + score(totalG - lg, rh, l2);
        if (gain > best) {
          best = gain;
          bestFeature = f;
          bestBin = b;
          bestMissingLeft = mc === 0 && lh >= rh;
          bestG = lg;
          bestH = lh;
          bestCount = lc;
        }
      }
      if (mc === 0 || b === bins - 1) continue;
      // Missing values to the left.
      const g2 = lg + mg;
      const h2 = lh + mh;
      const c2 = lc + mc;
      rh = totalH - h2;
      rc = totalCount - c2;
      if (c2 >= minSamplesLeaf && rc >= minSamplesLeaf && h2 >= minChildWeight && rh >= minChildWeight) {
        const gain = score(g2, h2, l2) + score(totalG - g2, rh, l2);
        if (gain > best) {
          best = gain;
          bestFeature = f;
          bestBin = b;
          bestMissingLeft = true;
          bestG = g2;
          bestH = h2;
          bestCount = c2;
        }
      }
    }
  }
  if (bestFeature < 0) return undefined;
  const cuts = binned.cuts[bestFeature] ?? new Float64Array(0);
  return {
    gain: (best - parentScore) / 2,
    feature: bestFeature,
    bin: bestBin,
    // Past the last cut (present left, missing right) every finite value goes left.
    threshold: cuts[bestBin] ?? Number.MAX_VALUE,
    missingLeft: bestMissingLeft,
    left: { g: bestG, h: bestH, count: bestCount },
    right: { g: total.g - bestG, h: total.h - bestH, count: total.count - bestCount },
  };
}

import { checkColumns } from './columns.ts';
import { addPathLengths, compileForest, putValue, rowSlots, type CompiledForest } from './forest.ts';
import { splitsToJSON } from '../gbdt/format.ts';
import { iforestFormat, iforestVersion, type SerializedIsolationForest } from './format.ts';
import { averagePathLength, type IsolationTree } from './tree.ts';

/** How much one feature did to isolate a row; see `IsolationForest.explain`. */
export interface FeatureShare {
  name: string;
  share: number;
}

/** A trained isolation forest: rows that short random paths isolate are anomalous. */
export interface IsolationForest {
  readonly names: readonly string[];
  /**
   * Anomaly score in (0, 1) of one row in `names` order (NaN marks a missing value): 2^(-E[h]/c(n)),
   * with E[h] the mean path length over the trees and c(n) its expectation for a sample of n rows.
   * About 0.5 or less is ordinary; above 0.6 is unusual.
   */
  score(row: ArrayLike<number>): number;
  /** Scores of every row of column-major data with exactly the model's features. */
  scoreMany(columns: Float64Array[]): Float64Array;
  /**
   * Which features isolated the row, largest share first; shares sum to 1. Each split on the row's
   * path is credited to its feature with log2 of how many times it shrank the row's group of training
   * rows, so a split that cuts the row off alone counts for much, one that keeps it with most of its
   * group for little. Empty when no tree could split (training data with a single distinct row).
   */
  explain(row: ArrayLike<number>): FeatureShare[];
  toJSON(): SerializedIsolationForest;
}

/** Rows scored together by scoreMany: enough to stream each tree over, small enough to stay in cache. */
const chunkRows = 1024;

class Forest implements IsolationForest {
  private readonly compiled: CompiledForest;
  /** c(sampleSize) times the number of trees: divides a row's summed path length. */
  private readonly norm: number;
  private readonly rowBlock: Float64Array;
  private readonly rowSum = new Float64Array(1);

  constructor(
    readonly names: readonly string[],
    private readonly sampleSize: number,
    private readonly trees: readonly IsolationTree[],
  ) {
    this.compiled = compileForest(trees, names.length);
    this.norm = averagePathLength(sampleSize) * trees.length;
    this.rowBlock = new Float64Array(rowSlots(names.length));
  }

  private checkRow(row: ArrayLike<number>): void {
    if (row.length !== this.names.length) {
      throw new Error(`a row has ${row.length} values, the model expects ${this.names.length} features`);
    }
  }

  score(row: ArrayLike<number>): number {
    this.checkRow(row);
    const width = this.names.length;
    for (let f = 0; f < width; f++) putValue(this.rowBlock, 0, width, f, row[f] ?? NaN);
    this.rowSum[0] = 0;
    addPathLengths(this.compiled, this.rowBlock, 1, this.rowSum);
    return 2 ** (-(this.rowSum[0] ?? 0) / this.norm);
  }

  scoreMany(columns: Float64Array[]): Float64Array {
    const rows = checkColumns(columns, this.names, 'scoreMany');
    const width = this.names.length;
    const scores = new Float64Array(rows);
    const slots = rowSlots(width);
    const block = new Float64Array(chunkRows * slots);
    for (let start = 0; start < rows; start += chunkRows) {
      const n = Math.min(chunkRows, rows - start);
      columns.forEach((column, f) => {
        for (let i = 0; i < n; i++) putValue(block, i * slots, width, f, column[start + i] ?? NaN);
      });
      const sums = scores.subarray(start, start + n);
      addPathLengths(this.compiled, block, n, sums);
      for (let i = 0; i < n; i++) sums[i] = 2 ** (-(sums[i] ?? 0) / this.norm);
    }
    return scores;
  }

  explain(row: ArrayLike<number>): FeatureShare[] {
    this.checkRow(row);
    const credit = new Float64Array(this.names.length);
    for (const tree of this.trees) {
      let k = 0;
      for (let f = tree.feature[0] ?? -1; f >= 0; f = tree.feature[k] ?? -1) {
        const x = row[f] ?? NaN;
        const cut = tree.threshold[k] ?? 0;
        const missingLeft = tree.missingLeft[k] === 1;
        const next = (x <= cut || (x !== x && missingLeft) ? tree.left[k] : tree.right[k]) ?? 0;
        credit[f] = (credit[f] ?? 0) + Math.log2((tree.size[k] ?? 1) / (tree.size[next] ?? 1));
        k = next;
      }
    }
    const total = credit.reduce((sum, c) => sum + c, 0);
    if (total === 0) return [];
    return this.names
      .map((name, f) => ({ name, share: (credit[f] ?? 0) / total }))
      .sort((a, b) => b.share - a.share);
  }

  toJSON(): SerializedIsolationForest {
    return {
      format: iforestFormat,
      version: iforestVersion,
      names: [...this.names],
      sampleSize: this.sampleSize,
      trees: this.trees.map((tree) => ({ ...splitsToJSON(tree), size: Array.from(tree.size) })),
    };
  }
}

/** A model over valid trees (grown by fitIsolationForest or checked by parseIsolationForest). */
export function createIsolationForest(
  names: readonly string[],
  sampleSize: number,
  trees: readonly IsolationTree[],
): IsolationForest {
  return new Forest(Object.freeze([...names]), sampleSize, trees);
}

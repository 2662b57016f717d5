import { BitKernel } from './bitwise-kernel.ts';
import { compileBitForest, leafStepsOf, type LeafSteps } from './bitwise.ts';
import { featureMismatch, type Dataset } from './dataset.ts';
import { compileForest, fillRow, rowSlots, type Forest } from './forest.ts';
import { gbdtFormat, gbdtVersion, splitsToJSON, type SerializedGbdt } from './format.ts';
import type { TreeNodes } from './nodes.ts';
import { scoreColumns, scoreRowAt } from './score.ts';

/** A trained binary classifier: sums of tree leaf values on top of a base log-odds. */
export interface GbdtModel {
  readonly featureNames: readonly string[];
  /** Log-odds every prediction starts from. */
  readonly baseScore: number;
  readonly treeCount: number;
  /** Log-odds of one row given in `featureNames` order; NaN marks a missing value. */
  predictRaw(row: ArrayLike<number>): number;
  /** Probability of the positive class for one row. */
  predict(row: ArrayLike<number>): number;
  /** Probabilities for every row; the data must have exactly the model's features. */
  predictMany(data: Dataset): Float64Array;
  /** Per-feature path contributions (Saabas): `base + sum(values)` equals `predictRaw(row)`. */
  contributions(row: ArrayLike<number>): { base: number; values: Float64Array };
  /**
   * The contributions of every row, the same as `contributions` gives row by row: row i's value of
   * feature f at `values[i × features + f]`.
   */
  contributionsMany(data: Dataset): { base: number; values: Float64Array };
  /** Total split gain per feature, largest first. */
  featureImportance(): { name: string; gain: number }[];
  toJSON(): SerializedGbdt;
}

/** Logistic function, log-odds to probability. */
export function sigmoid(raw: number): number {
  return 1 / (1 + Math.exp(-raw));
}

class TreeModel implements GbdtModel {
  private readonly forest: Forest;
  /** The same trees for scoring many rows at once, when they are shallow enough; built on first use. */
  private kernel: BitKernel | null | undefined;
  /** A kernel that keeps each row's paths, and the steps to each leaf, for contributions; built on first use. */
  private pathKernel: { kernel: BitKernel; steps: LeafSteps } | null | undefined;
  /** Scratch block for scoring one row. */
  private readonly rowBlock: Float64Array;
  /** baseScore plus every tree's root value: the `base` of contributions. */
  private readonly contributionBase: number;

  constructor(
    readonly featureNames: readonly string[],
    readonly baseScore: number,
    private readonly trees: readonly TreeNodes[],
  ) {
    this.forest = compileForest(trees, featureNames.length);
    this.rowBlock = new Float64Array(rowSlots(featureNames.length));
    this.contributionBase = trees.reduce((sum, tree) => sum + (tree.value[0] ?? 0), baseScore);
  }

  get treeCount(): number {
    return this.trees.length;
  }

  private checkRow(row: ArrayLike<number>): void {
    if (row.length !== this.featureNames.length) {
      throw new Error(
        `a row has ${row.length} values, the model expects ${this.featureNames.length} features`,
      );
    }
  }

  predictRaw(row: ArrayLike<number>): number {
    this.checkRow(row);
    fillRow(row, this.featureNames.length, this.rowBlock);
    return scoreRowAt(this.forest, this.rowBlock, 0, this.baseScore);
  }

  predict(row: ArrayLike<number>): number {
    return sigmoid(this.predictRaw(row));
  }

  predictMany(data: Dataset): Float64Array {
    const mismatch = featureMismatch(this.featureNames, data.names);
    if (mismatch !== undefined) throw new Error(mismatch);
    const out = new Float64Array(data.rows).fill(this.baseScore);
    const kernel = this.bitKernel();
    if (kernel) kernel.addScores(data.columns, data.rows, out);
    else scoreColumns(this.forest, data.columns, data.rows, out);
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i] ?? 0);
    return out;
  }

  /** The bitwise kernel of the trees, or null when they are too deep for it. */
  private bitKernel(): BitKernel | null {
    if (this.kernel === undefined) {
      const forest = compileBitForest(this.trees, this.featureNames.length);
      this.kernel = forest ? new BitKernel(forest) : null;
    }
    return this.kernel;
  }

  /** The kernel that keeps paths, with the steps to each leaf, or null when the trees are too deep for it. */
  private pathsKernel(): { kernel: BitKernel; steps: LeafSteps } | null {
    if (this.pathKernel === undefined) {
      const forest = compileBitForest(this.trees, this.featureNames.length);
      this.pathKernel = forest
        ? { kernel: new BitKernel(forest, { keepPaths: true }), steps: leafStepsOf(this.trees, forest) }
        : null;
    }
    return this.pathKernel;
  }

  contributionsMany(data: Dataset): { base: number; values: Float64Array } {
    const mismatch = featureMismatch(this.featureNames, data.names);
    if (mismatch !== undefined) throw new Error(mismatch);
    const width = this.featureNames.length;
    const values = new Float64Array(data.rows * width);
    const compiled = this.pathsKernel();
    if (!compiled) {
      const row = new Float64Array(width);
      for (let i = 0; i < data.rows; i++) {
        for (let f = 0; f < width; f++) row[f] = data.columns[f]?.[i] ?? NaN;
        values.set(this.contributions(row).values, i * width);
      }
      return { base: this.contributionBase, values };
    }
    const trees = this.trees.length;
    const paths = new Uint8Array(data.rows * trees);
    compiled.kernel.addScores(data.columns, data.rows, new Float64Array(data.rows), paths);
    // each step adds what the walk of `contributions` adds at that node, in the same order
    const { stepStart, feature, to, from } = compiled.steps;
    const leafAt = compiled.kernel.leafAt;
    for (let i = 0; i < data.rows; i++) {
      const o = i * width;
      const p = i * trees;
      for (let t = 0; t < trees; t++) {
        const leaf = (leafAt[t] ?? 0) + (paths[p + t] ?? 0);
        const end = stepStart[leaf + 1] ?? 0;
        for (let s = stepStart[leaf] ?? 0; s < end; s++) {
          const at = o + (feature[s] ?? 0);
          values[at] = (values[at] ?? 0) + (to[s] ?? 0) - (from[s] ?? 0);
        }
      }
    }
    return { base: this.contributionBase, values };
  }

  contributions(row: ArrayLike<number>): { base: number; values: Float64Array } {
    this.checkRow(row);
    const values = new Float64Array(this.featureNames.length);
    for (const tree of this.trees) {
      let k = 0;
      let f = tree.feature[0] ?? -1;
      while (f >= 0) {
        const x = row[f] ?? NaN;
        const goLeft = x !== x ? tree.missingLeft[k] === 1 : x <= (tree.threshold[k] ?? 0);
        const next = (goLeft ? tree.left[k] : tree.right[k]) ?? 0;
        values[f] = (values[f] ?? 0) + (tree.value[next] ?? 0) - (tree.value[k] ?? 0);
        k = next;
        f = tree.feature[k] ?? -1;
      }
    }
    return { base: this.contributionBase, values };
  }

  featureImportance(): { name: string; gain: number }[] {
    const gains = new Float64Array(this.featureNames.length);
    for (const tree of this.trees) {
      tree.feature.forEach((f, k) => {
        if (f >= 0) gains[f] = (gains[f] ?? 0) + (tree.gain[k] ?? 0);
      });
    }
    return this.featureNames
      .map((name, f) => ({ name, gain: gains[f] ?? 0 }))
      .sort((a, b) => b.gain - a.gain);
  }

  toJSON(): SerializedGbdt {
    return {
      format: gbdtFormat,
      version: gbdtVersion,
      featureNames: [...this.featureNames],
      baseScore: this.baseScore,
      trees: this.trees.map((tree) => ({
        ...splitsToJSON(tree),
        value: Array.from(tree.value),
        cover: Array.from(tree.cover),
        gain: Array.from(tree.gain),
      })),
    };
  }
}

/** Wraps trees that are known to be valid (trained here, or checked by loadGbdt) as a model. */
export function createModel(
  featureNames: readonly string[],
  baseScore: number,
  trees: readonly TreeNodes[],
): GbdtModel {
  return new TreeModel(Object.freeze([...featureNames]), baseScore, trees);
}

import { binDatasetOnce, type BinnedDataset } from './binning.ts';
import { checkDataset, checkLabels, featureMismatch, type Dataset } from './dataset.ts';
import { compileForest, fillBlock, rowSlots } from './forest.ts';
import { histogramSize, HistogramPool } from './histogram.ts';
import { HistogramKernel } from './histogram-kernel.ts';
import { baseLogOdds, logisticGradients, logLoss } from './loss.ts';
import { createModel, type GbdtModel } from './model.ts';
import type { TreeNodes } from './nodes.ts';
import { resolveParams, type GbdtParams } from './params.ts';
import { sampleIndices, seededRandom } from './random.ts';
import { scoreBlock } from './score.ts';
import { growTree, type GrowInput, type GrownTree } from './tree.ts';

/** Validation data for early stopping. */
export interface Validation {
  data: Dataset;
  labels: Float64Array;
}

/** All rows as one scoring block (see Forest), which tree traversal reads faster than columns. */
function toBlock(data: Dataset): Float64Array {
  const block = new Float64Array(data.rows * rowSlots(data.columns.length));
  fillBlock(data.columns, 0, data.rows, block);
  return block;
}

/** Draws each row with probability `share` into `out` and marks it in `drawn`; returns how many. */
function sampleRows(share: number, random: () => number, out: Uint32Array, drawn: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < drawn.length; i++) {
    drawn[i] = share >= 1 || random() < share ? 1 : 0;
    if (drawn[i] === 1) out[count++] = i;
  }
  return count;
}

/**
 * The leaf of a grown tree that row `row` of the binned training data reaches: by bins, which send
 * each row where its raw value does (x <= cuts[b] exactly when its bin is at most b).
 */
function leafOf(grown: GrownTree, binned: BinnedDataset, row: number): number {
  const { feature, missingLeft, left, right } = grown.nodes;
  const { splitBins } = grown;
  const missing = binned.missingBin;
  let k = 0;
  let f = feature[0] ?? -1;
  while (f >= 0) {
    const b = binned.bins[f]?.[row] ?? missing;
    const goLeft = b === missing ? missingLeft[k] === 1 : b <= (splitBins[k] ?? 0);
    k = (goLeft ? left[k] : right[k]) ?? 0;
    f = feature[k] ?? -1;
  }
  return k;
}

/** Adds a new tree to the training scores: drawn rows by the leaf they reached, others by descent. */
function addToScores(grown: GrownTree, input: GrowInput, drawn: Uint8Array, scores: Float64Array) {
  for (const { start, end, value } of grown.leaves) {
    for (let i = start; i < end; i++) {
      const row = input.rows[i] ?? 0;
      scores[row] = (scores[row] ?? 0) + value;
    }
  }
  if (input.count === drawn.length) return;
  const { value } = grown.nodes;
  for (let row = 0; row < drawn.length; row++) {
    if (drawn[row] === 0) scores[row] = (scores[row] ?? 0) + (value[leafOf(grown, input.binned, row)] ?? 0);
  }
}

/** Scores validation data tree by tree and remembers the round with the lowest log-loss. */
class ValidationTracker {
  private readonly block: Float64Array;
  private readonly scores: Float64Array;
  private bestLoss = Infinity;
  /** Trees in the best model so far. */
  best = 0;

  constructor(
    private readonly valid: Validation,
    baseScore: number,
  ) {
    this.block = toBlock(valid.data);
    this.scores = new Float64Array(valid.data.rows).fill(baseScore);
  }

  /** Adds tree number `count` (1-based) and returns how many rounds have passed without improvement. */
  add(tree: TreeNodes, count: number): number {
    const forest = compileForest([tree], this.valid.data.columns.length);
    scoreBlock(forest, this.block, this.valid.data.rows, this.scores, 0);
    const loss = logLoss(this.scores, this.valid.labels);
    if (loss < this.bestLoss) {
      this.bestLoss = loss;
      this.best = count;
    }
    return count - this.best;
  }
}

function checkInputs(train: Dataset, labels: Float64Array, params: GbdtParams, valid?: Validation): void {
  checkDataset(train, 'training data', true);
  checkLabels(labels, train.rows, 'training data');
  if (train.rows === 0) throw new Error('training data has no rows');
  if (params.earlyStoppingRounds !== undefined && valid === undefined) {
    throw new Error('earlyStoppingRounds needs validation data');
  }
  if (valid === undefined) return;
  checkDataset(valid.data, 'validation data');
  checkLabels(valid.labels, valid.data.rows, 'validation data');
  const mismatch = featureMismatch(train.names, valid.data.names);
  if (mismatch !== undefined) throw new Error(`validation data: ${mismatch}`);
}

/**
 * Trains gradient-boosted trees for binary classification with logistic loss. With `valid` and
 * `earlyStoppingRounds`, stops once validation log-loss has not improved for that many rounds and
 * keeps the trees up to the best round.
 */
export function trainGbdt(
  train: Dataset,
  labels: Float64Array,
  params: Partial<GbdtParams> = {},
  valid?: Validation,
): GbdtModel {
  const settings = resolveParams(params);
  checkInputs(train, labels, settings, valid);
  const { rows } = train;
  const width = train.columns.length;
  const binned = binDatasetOnce(train, settings.bins);
  const baseScore = baseLogOdds(labels);
  const scores = new Float64Array(rows).fill(baseScore);
  const drawn = new Uint8Array(rows);
  const random = seededRandom(settings.seed);
  const allFeatures = Int32Array.from({ length: width }, (_, f) => f);
  const featureCount = Math.max(1, Math.round(settings.colsample * width));
  const kernel = new HistogramKernel(binned, histogramSize(binned), settings.maxLeaves + 2);
  const input: GrowInput = {
    binned,
    grad: new Float64Array(rows),
    hess: new Float64Array(rows),
    // in the kernel's memory, where it partitions the rows of a node and reads them
    rows: kernel.sampled,
    count: 0,
    scratch: kernel.scratch,
    gathered: new Float64Array(2 * rows),
    goesLeft: kernel.goesLeft,
    features: allFeatures,
    pool: new HistogramPool(histogramSize(binned), kernel),
    params: settings,
  };
  const tracker = valid === undefined ? undefined : new ValidationTracker(valid, baseScore);
  const trees: TreeNodes[] = [];
  while (trees.length < settings.trees) {
    logisticGradients(scores, labels, input.grad, input.hess);
    input.count = sampleRows(settings.subsample, random, input.rows, drawn);
    input.features = featureCount < width ? sampleIndices(width, featureCount, random) : allFeatures;
    const grown = growTree(input);
    trees.push(grown.nodes);
    addToScores(grown, input, drawn, scores);
    const stale = tracker?.add(grown.nodes, trees.length) ?? 0;
    if (settings.earlyStoppingRounds !== undefined && stale >= settings.earlyStoppingRounds) break;
  }
  if (settings.earlyStoppingRounds !== undefined && tracker !== undefined) trees.length = tracker.best;
  return createModel(train.names, baseScore, trees);
}

import { checkColumns, featureMismatch } from './columns.ts';
import { createIsolationForest, type IsolationForest } from './model.ts';
import { parseIsolationForest } from './parse.ts';
import { drawWithoutReplacement, seededRandom } from './random.ts';
import { growTree } from './tree.ts';

export type { FeatureShare, IsolationForest } from './model.ts';
export type { SerializedIsolationForest, SerializedIsolationTree } from './format.ts';

/** Settings of an isolation forest (Liu, Ting & Zhou 2008); see `defaultParams`. */
export interface IsolationForestParams {
  /** Trees in the forest. */
  trees: number;
  /** Rows each tree is grown on, drawn without replacement; capped at the rows available. */
  sampleSize: number;
  /** Seed of the sampling and the splits; equal seeds give equal models. */
  seed: number;
  /** Depth of a leaf at most (the root is depth 0); defaults to ceil(log2(sample size used)). */
  maxDepth?: number;
}

export const defaultParams: IsolationForestParams = { trees: 100, sampleSize: 256, seed: 1 };

type Check = [keyof IsolationForestParams, (value: number) => boolean, string];

const checks: Check[] = [
  ['trees', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
  ['sampleSize', (v) => Number.isInteger(v) && v >= 2, 'a whole number >= 2'],
  ['seed', (v) => Number.isInteger(v), 'a whole number'],
  ['maxDepth', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
];

/** Fills in defaults and throws on a setting out of range. */
function resolveParams(params: Partial<IsolationForestParams>): IsolationForestParams {
  const merged: IsolationForestParams = {
    trees: params.trees ?? defaultParams.trees,
    sampleSize: params.sampleSize ?? defaultParams.sampleSize,
    seed: params.seed ?? defaultParams.seed,
    maxDepth: params.maxDepth,
  };
  for (const [key, ok, expected] of checks) {
    const value = merged[key];
    if (value !== undefined && !ok(value)) {
      throw new Error(`isolation forest: ${key} is ${String(value)}, expected ${expected}`);
    }
  }
  return merged;
}

/**
 * Grows an isolation forest on column-major data: `columns[j][i]` is feature `names[j]` of row `i`, NaN
 * marks a missing value. Each tree is grown on its own random sample of rows, splitting on a random
 * feature at a uniform random point between that feature's min and max in the node.
 */
export function fitIsolationForest(
  columns: Float64Array[],
  names: string[],
  params: Partial<IsolationForestParams> = {},
): IsolationForest {
  const rows = checkColumns(columns, names, 'fitIsolationForest', true);
  if (new Set(names).size !== names.length)
    throw new Error('fitIsolationForest: feature names must be unique');
  if (rows < 2) throw new Error(`fitIsolationForest: needs at least 2 rows, got ${rows}`);
  const { trees, sampleSize, seed, maxDepth } = resolveParams(params);
  const size = Math.min(sampleSize, rows);
  const depth = maxDepth ?? Math.ceil(Math.log2(size));
  const random = seededRandom(seed);
  const pool = Int32Array.from({ length: rows }, (_, i) => i);
  const grown = Array.from({ length: trees }, () =>
    growTree(columns, drawWithoutReplacement(pool, size, random), depth, random),
  );
  return createIsolationForest(names, size, grown);
}

/**
 * Reads a model written by `toJSON`, checking every field; throws an Error naming the first problem.
 * With `expectedNames`, also throws unless the model's features are exactly these, in this order.
 */
export function loadIsolationForest(json: unknown, expectedNames?: readonly string[]): IsolationForest {
  const { names, sampleSize, trees } = parseIsolationForest(json);
  if (expectedNames !== undefined) {
    const mismatch = featureMismatch(names, expectedNames);
    if (mismatch !== undefined) throw new Error(mismatch);
  }
  return createIsolationForest(names, sampleSize, trees);
}

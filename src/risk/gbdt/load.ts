import { checkTreeShape } from './tree-shape.ts';
import { featureMismatch } from './dataset.ts';
import { gbdtFormat, gbdtVersion } from './format.ts';
import { createModel, type GbdtModel } from './model.ts';
import type { TreeNodes } from './nodes.ts';

type Fields = Record<string, unknown>;

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite-number array field of `fields`, or an error naming `where`. */
function numbers(fields: Fields, key: string, where: string): number[] {
  const value = fields[key];
  if (!Array.isArray(value)) throw new Error(`${where}.${key} is missing or not an array`);
  value.forEach((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new Error(`${where}.${key}[${i}] is ${describe(x)}, expected a finite number`);
    }
  });
  return value;
}

function flags(fields: Fields, key: string, where: string): boolean[] {
  const value = fields[key];
  if (!Array.isArray(value)) throw new Error(`${where}.${key} is missing or not an array`);
  value.forEach((x: unknown, i) => {
    if (typeof x !== 'boolean')
      throw new Error(`${where}.${key}[${i}] is ${describe(x)}, expected true or false`);
  });
  return value;
}

/** Checks that the nodes form one tree rooted at node 0: children in range, no cycle, every node reached once. */
function checkShape(tree: TreeNodes, features: number, where: string): void {
  checkTreeShape(tree, tree.value.length, features, where);
}

function parseTree(json: unknown, features: number, where: string): TreeNodes {
  if (!isObject(json)) throw new Error(`${where} is not an object`);
  const columns = {
    feature: numbers(json, 'feature', where),
    threshold: numbers(json, 'threshold', where),
    missingLeft: flags(json, 'missingLeft', where),
    left: numbers(json, 'left', where),
    right: numbers(json, 'right', where),
    value: numbers(json, 'value', where),
    cover: numbers(json, 'cover', where),
    gain: numbers(json, 'gain', where),
  };
  const size = columns.value.length;
  for (const [key, array] of Object.entries(columns)) {
    if (array.length !== size)
      throw new Error(`${where}.${key} has ${array.length} entries, value has ${size}`);
  }
  for (const key of ['feature', 'left', 'right'] as const) {
    const at = columns[key].findIndex((x) => !Number.isInteger(x) || x < -1 || x > 2 ** 31 - 1);
    if (at >= 0)
      throw new Error(`${where}.${key}[${at}] is ${columns[key][at]}, expected a node or feature index`);
  }
  const tree: TreeNodes = {
    feature: Int32Array.from(columns.feature),
    threshold: Float64Array.from(columns.threshold),
    missingLeft: Uint8Array.from(columns.missingLeft, (flag) => (flag ? 1 : 0)),
    left: Int32Array.from(columns.left),
    right: Int32Array.from(columns.right),
    value: Float64Array.from(columns.value),
    cover: Float64Array.from(columns.cover),
    gain: Float64Array.from(columns.gain),
  };
  checkShape(tree, features, where);
  return tree;
}

/**
 * Reads a model written by `toJSON`, checking every field; throws an Error naming the first problem.
 * With `expectedFeatures`, also throws unless the model's features are exactly these, in this order.
 * With `extendTo`, names that begin with the model's features, the model is read as one over all of
 * them: its trees never use those it lacks, so its scores stay the same and their contributions 0.
 */
export function loadGbdt(
  json: unknown,
  expectedFeatures?: readonly string[],
  options: { extendTo?: readonly string[] } = {},
): GbdtModel {
  if (!isObject(json)) throw new Error('a gbdt model must be a JSON object');
  if (json.format !== gbdtFormat) {
    throw new Error(`not a gbdt model: format is ${JSON.stringify(json.format)}, expected "${gbdtFormat}"`);
  }
  if (json.version !== gbdtVersion) {
    throw new Error(
      `unsupported gbdt model version ${JSON.stringify(json.version)}, expected ${gbdtVersion}`,
    );
  }
  const names = json.featureNames;
  if (!Array.isArray(names) || !names.every((name): name is string => typeof name === 'string')) {
    throw new Error('featureNames is missing or not an array of strings');
  }
  if (new Set(names).size !== names.length) throw new Error('featureNames has duplicate names');
  const baseScore = json.baseScore;
  if (typeof baseScore !== 'number' || !Number.isFinite(baseScore)) {
    throw new Error(`baseScore is ${JSON.stringify(baseScore)}, expected a finite number`);
  }
  if (!Array.isArray(json.trees)) throw new Error('trees is missing or not an array');
  const trees = json.trees.map((tree: unknown, t) => parseTree(tree, names.length, `trees[${t}]`));
  if (expectedFeatures !== undefined) {
    const mismatch = featureMismatch(names, expectedFeatures);
    if (mismatch !== undefined) throw new Error(mismatch);
  }
  const { extendTo } = options;
  if (extendTo === undefined) return createModel(names, baseScore, trees);
  if (extendTo.length < names.length || names.some((name, i) => extendTo[i] !== name))
    throw new Error(`the model's features are not the first of ${extendTo.length} names it is extended to`);
  return createModel(extendTo, baseScore, trees);
}

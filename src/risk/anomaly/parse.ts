import { checkTreeShape } from '../gbdt/tree-shape.ts';
import { iforestFormat, iforestVersion } from './format.ts';
import type { IsolationTree } from './tree.ts';

type Fields = Record<string, unknown>;

/** The parts of a model read from JSON, each checked. */
export interface ParsedIsolationForest {
  names: string[];
  sampleSize: number;
  trees: IsolationTree[];
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function array(fields: Fields, key: string, where: string): unknown[] {
  const value = fields[key];
  if (!Array.isArray(value)) throw new Error(`${where}.${key} is missing or not an array`);
  return value;
}

/** A number array field whose entries pass `ok`, or an error naming the first bad entry. */
function numbers(
  fields: Fields,
  key: string,
  where: string,
  ok: (x: number) => boolean,
  expected: string,
): number[] {
  return array(fields, key, where).map((x, i) => {
    if (typeof x !== 'number' || !ok(x)) {
      throw new Error(`${where}.${key}[${i}] is ${describe(x)}, expected ${expected}`);
    }
    return x;
  });
}

function flags(fields: Fields, key: string, where: string): boolean[] {
  return array(fields, key, where).map((x, i) => {
    if (typeof x !== 'boolean')
      throw new Error(`${where}.${key}[${i}] is ${describe(x)}, expected true or false`);
    return x;
  });
}

const isIndex = (x: number): boolean => Number.isInteger(x) && x >= -1 && x < 2 ** 31;
const isCount = (x: number): boolean => Number.isInteger(x) && x >= 1 && x < 2 ** 31;

/**
 * Checks that the nodes form one tree rooted at node 0 (children in range, no cycle, every node reached
 * once) whose sizes add up: the root holds `sampleSize` rows and each split passes all of its rows on.
 */
function checkShape(tree: IsolationTree, features: number, sampleSize: number, where: string): void {
  if (tree.feature.length > 0 && tree.size[0] !== sampleSize) {
    throw new Error(`${where} root holds ${tree.size[0]} rows, expected sampleSize ${sampleSize}`);
  }
  checkTreeShape(tree, tree.feature.length, features, where, (k, left, right) => {
    const sizes = [tree.size[k] ?? 0, tree.size[left] ?? 0, tree.size[right] ?? 0];
    if (sizes[0] !== (sizes[1] ?? 0) + (sizes[2] ?? 0)) {
      throw new Error(
        `${where} node ${k} holds ${sizes[0]} rows but its children hold ${sizes[1]} + ${sizes[2]}`,
      );
    }
  });
}

function parseTree(json: unknown, features: number, sampleSize: number, where: string): IsolationTree {
  if (!isObject(json)) throw new Error(`${where} is not an object`);
  const columns = {
    feature: numbers(json, 'feature', where, isIndex, 'a feature index or -1'),
    threshold: numbers(json, 'threshold', where, Number.isFinite, 'a finite number'),
    missingLeft: flags(json, 'missingLeft', where),
    left: numbers(json, 'left', where, isIndex, 'a node index or -1'),
    right: numbers(json, 'right', where, isIndex, 'a node index or -1'),
    size: numbers(json, 'size', where, isCount, 'a row count >= 1'),
  };
  const count = columns.feature.length;
  for (const [key, values] of Object.entries(columns)) {
    if (values.length !== count)
      throw new Error(`${where}.${key} has ${values.length} entries, feature has ${count}`);
  }
  const tree: IsolationTree = {
    feature: Int32Array.from(columns.feature),
    threshold: Float64Array.from(columns.threshold),
    missingLeft: Uint8Array.from(columns.missingLeft, (flag) => (flag ? 1 : 0)),
    left: Int32Array.from(columns.left),
    right: Int32Array.from(columns.right),
    size: Int32Array.from(columns.size),
  };
  checkShape(tree, features, sampleSize, where);
  return tree;
}

/** Reads a model written by `toJSON`, checking every field; throws an Error naming the first problem. */
export function parseIsolationForest(json: unknown): ParsedIsolationForest {
  if (!isObject(json)) throw new Error('an isolation forest must be a JSON object');
  if (json.format !== iforestFormat) {
    throw new Error(
      `not an isolation forest: format is ${describe(json.format)}, expected "${iforestFormat}"`,
    );
  }
  if (json.version !== iforestVersion) {
    throw new Error(
      `unsupported isolation forest version ${describe(json.version)}, expected ${iforestVersion}`,
    );
  }
  const names = json.names;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    !names.every((name): name is string => typeof name === 'string')
  ) {
    throw new Error('names is missing or not a non-empty array of strings');
  }
  if (new Set(names).size !== names.length) throw new Error('names has duplicate names');
  const sampleSize = json.sampleSize;
  if (typeof sampleSize !== 'number' || !Number.isInteger(sampleSize) || sampleSize < 2) {
    throw new Error(`sampleSize is ${describe(sampleSize)}, expected a whole number >= 2`);
  }
  const trees = json.trees;
  if (!Array.isArray(trees)) throw new Error('trees is missing or not an array');
  if (trees.length === 0) throw new Error('the model has no trees');
  return {
    names,
    sampleSize,
    trees: trees.map((tree, t) => parseTree(tree, names.length, sampleSize, `trees[${t}]`)),
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SerializedIsolationTree } from './format.ts';
import { fitIsolationForest, loadIsolationForest } from './isolation-forest.ts';
import { seededRandom } from './random.ts';

const random = seededRandom(3);
const names = ['value', 'weight', 'duty'];
const columns = names.map(() => Float64Array.from({ length: 300 }, () => random()));
const valid = fitIsolationForest(columns, names, { trees: 3, sampleSize: 64 }).toJSON();

/** A model as loose JSON, to break on purpose. */
type Loose = Record<string, unknown>;
type LooseTree = { [K in keyof SerializedIsolationTree]: unknown[] };
type Change = (json: Loose, tree: LooseTree) => unknown;

const tree0 = valid.trees[0] ?? assert.fail('no tree');
/** An internal node of the first tree whose left child is internal too, and a leaf. */
const deep = tree0.feature.findIndex((f, k) => f >= 0 && (tree0.feature[tree0.left[k] ?? 0] ?? -1) >= 0);
const deepLeft = tree0.left[deep] ?? 0;
const aLeaf = tree0.feature.indexOf(-1);
assert.ok(deep >= 0 && aLeaf >= 0, 'the first tree of the fixture needs two levels of splits');

/** The valid model with one change applied to a deep copy of it and of its first tree. */
function corrupted(change: Change): unknown {
  const tree: LooseTree = structuredClone(tree0);
  const json: Loose = { ...structuredClone(valid), trees: [tree, ...valid.trees.slice(1)] };
  change(json, tree);
  return json;
}

const cases: [string, Change, RegExp][] = [
  [
    'a wrong format tag',
    (json) => (json.format = 'sklearn'),
    /format is "sklearn", expected "clearway-iforest"/,
  ],
  ['a wrong version', (json) => (json.version = 2), /unsupported isolation forest version 2, expected 1/],
  ['names that are not strings', (json) => (json.names = ['a', 3, 'c']), /names .*array of strings/],
  ['no names', (json) => (json.names = []), /names .*non-empty array/],
  ['duplicate names', (json) => (json.names = ['a', 'b', 'a']), /names has duplicate names/],
  ['a fractional sample size', (json) => (json.sampleSize = 63.5), /sampleSize is 63.5, expected a whole/],
  ['trees that are not an array', (json) => (json.trees = {}), /trees is missing or not an array/],
  ['no trees', (json) => (json.trees = []), /the model has no trees/],
  ['a tree that is not an object', (json) => (json.trees = [42]), /trees\[0\] is not an object/],
  [
    'a missing size array',
    (json) => (json.trees = [{ ...tree0, size: undefined }]),
    /trees\[0\]\.size is missing or not an array/,
  ],
  [
    'arrays of unequal length',
    (_, tree) => tree.threshold.pop(),
    /threshold has \d+ entries, feature has \d+/,
  ],
  ['a threshold that is null', (_, tree) => (tree.threshold[deep] = null), /threshold\[\d+\] is null/],
  ['a missing side that is not a flag', (_, tree) => (tree.missingLeft[0] = 1), /missingLeft\[0\] is 1/],
  ['a fractional feature index', (_, tree) => (tree.feature[deep] = 0.5), /feature\[\d+\] is 0.5/],
  [
    'a feature out of range',
    (_, tree) => (tree.feature[deep] = 3),
    /splits on feature 3, expected -1 .* 0..2/,
  ],
  ['a child out of range', (_, tree) => (tree.right[deep] = 10_000), /child index 10000 out of range/],
  ['a cycle', (_, tree) => (tree.left[deepLeft] = 0), /leads back to node 0/],
  ['a leaf with children', (_, tree) => (tree.left[aLeaf] = 1), /is a leaf but has children 1, -1/],
  ['a size of zero', (_, tree) => (tree.size[aLeaf] = 0), /size\[\d+\] is 0, expected a row count >= 1/],
  [
    'sizes that do not add up',
    (_, tree) => (tree.size[deepLeft] = 1000),
    /holds \d+ rows but its children hold/,
  ],
  [
    'a root that disagrees with sampleSize',
    (json) => (json.sampleSize = 100),
    /root holds 64 rows, expected .* 100/,
  ],
  [
    'a node no path reaches',
    (_, tree) => {
      for (const key of ['feature', 'left', 'right'] as const) tree[key].push(-1);
      tree.threshold.push(0);
      tree.missingLeft.push(false);
      tree.size.push(1);
    },
    /node \d+ cannot be reached from the root/,
  ],
];

for (const [what, change, message] of cases) {
  test(`loadIsolationForest refuses a model with ${what}`, () => {
    assert.throws(() => loadIsolationForest(corrupted(change)), message);
  });
}

test('loadIsolationForest refuses input that is not a model object', () => {
  for (const json of [null, 'model', [valid]]) {
    assert.throws(() => loadIsolationForest(json), /an isolation forest must be a JSON object/);
  }
});

test('loadIsolationForest accepts the untouched model', () => {
  assert.deepEqual(
    loadIsolationForest(
      corrupted(() => undefined),
      names,
    ).toJSON(),
    valid,
  );
});

test('loadIsolationForest refuses a model trained on other features, naming the difference', () => {
  assert.throws(() => loadIsolationForest(valid, ['value', 'weight']), /missing "duty"/);
  assert.throws(() => loadIsolationForest(valid, [...names, 'origin']), /unexpected "origin"/);
  assert.throws(
    () => loadIsolationForest(valid, ['weight', 'value', 'duty']),
    /order differs at position 0: "value" vs "weight"/,
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SerializedGbdt, SerializedTree } from './format.ts';
import { loadGbdt } from './load.ts';
import { aSyntheticDataset } from './synthetic.ts';
import { trainGbdt } from './train.ts';

const { data, labels } = aSyntheticDataset({ rows: 500, features: 4, seed: 2 });
const valid: SerializedGbdt = trainGbdt(data, labels, { trees: 3, maxLeaves: 4, minSamplesLeaf: 5 }).toJSON();

/** A model as loose JSON, to break on purpose. */
type Loose = Record<string, unknown>;
type LooseTree = { [K in keyof SerializedTree]: unknown[] };
type Change = (json: Loose, tree: LooseTree) => unknown;

const tree0: SerializedTree = valid.trees[0] ?? assert.fail('no tree');
/** An internal node of the first tree whose left child is internal too. */
const deep = tree0.feature.findIndex((f, k) => f >= 0 && (tree0.feature[tree0.left[k] ?? 0] ?? -1) >= 0);
const deepLeft = tree0.left[deep] ?? 0;
const aLeaf = tree0.feature.indexOf(-1);
assert.ok(deep >= 0 && aLeaf >= 0, 'the first tree of the fixture needs two levels of splits');

/** The valid model with one change applied to a deep copy. */
function corrupted(change: Change): unknown {
  const tree: LooseTree = structuredClone(tree0);
  const json: Loose = { ...structuredClone(valid), trees: [tree, ...valid.trees.slice(1)] };
  change(json, tree);
  return json;
}

const cases: [string, Change, RegExp][] = [
  [
    'a wrong format tag',
    (json) => (json.format = 'xgboost'),
    /format is "xgboost", expected "clearway-gbdt"/,
  ],
  ['a wrong version', (json) => (json.version = 2), /unsupported gbdt model version 2, expected 1/],
  ['names that are not strings', (json) => (json.featureNames = ['a', 3]), /featureNames .*array of strings/],
  ['a missing base score', (json) => delete json.baseScore, /baseScore is undefined/],
  ['trees that are not an array', (json) => (json.trees = {}), /trees is missing or not an array/],
  [
    'a child index out of range',
    (_, tree) => (tree.right[0] = 99),
    /trees\[0\] node 0 has child index 99 out of range/,
  ],
  ['a cycle', (_, tree) => (tree.right[deepLeft] = 0), /node \d+ leads back to node 0: a cycle/],
  [
    'a missing array',
    (_, tree) => Reflect.deleteProperty(tree, 'value'),
    /trees\[0\]\.value is missing or not an array/,
  ],
  [
    'arrays of different lengths',
    (_, tree) => tree.cover.push(1),
    /trees\[0\]\.cover has \d+ entries, value has \d+/,
  ],
  [
    'a threshold that is not a number',
    (_, tree) => (tree.threshold[0] = 'high'),
    /threshold\[0\] is "high", expected a finite number/,
  ],
  [
    'a threshold that was NaN (null in JSON)',
    (_, tree) => (tree.threshold[0] = null),
    /threshold\[0\] is null/,
  ],
  [
    'a missing-left flag that is not a boolean',
    (_, tree) => (tree.missingLeft[0] = 1),
    /missingLeft\[0\] is 1, expected true or false/,
  ],
  [
    'a feature index out of range',
    (_, tree) => (tree.feature[0] = 4),
    /node 0 splits on feature 4, expected -1 \(leaf\) or 0\.\.3/,
  ],
  [
    'a fractional index',
    (_, tree) => (tree.left[0] = 1.5),
    /left\[0\] is 1.5, expected a node or feature index/,
  ],
  [
    'a leaf with children',
    (_, tree) => (tree.left[aLeaf] = 0),
    new RegExp(`node ${aLeaf} is a leaf but has children 0, -1`),
  ],
  [
    'an unreachable node',
    (_, tree) => (tree.left[deep] = tree.left[deepLeft]),
    new RegExp(`node ${deepLeft} cannot be reached`),
  ],
];

for (const [problem, change, message] of cases) {
  test(`refuses a model with ${problem}`, () => {
    assert.throws(
      () => loadGbdt(corrupted(change)),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('loads the valid model it started from', () => {
  assert.equal(loadGbdt(structuredClone(valid)).treeCount, 3);
});

test('refuses a model trained on other features, naming the first differences', () => {
  assert.throws(
    () => loadGbdt(valid, ['x0', 'x1', 'x3', 'price']),
    /the model was trained on features \[x0, x1, x2, x3\], these data have \[x0, x1, x3, price\] \(missing "x2"; unexpected "price"\)/,
  );
  assert.throws(() => loadGbdt(valid, ['x0', 'x2', 'x1', 'x3']), /order differs at position 1: "x1" vs "x2"/);
});

test('refuses something that is not a model at all', () => {
  assert.throws(() => loadGbdt('model'), /must be a JSON object/);
  assert.throws(() => loadGbdt(null), /must be a JSON object/);
});

test('a model extended to names that begin with its features scores the same, the new ones contributing 0', () => {
  const names = [...valid.featureNames, 'added'];
  const extended = loadGbdt(valid, valid.featureNames, { extendTo: names });
  const model = loadGbdt(valid);
  assert.deepEqual(extended.featureNames, names);
  for (let i = 0; i < 50; i++) {
    const row = data.columns.map((c) => c[i] ?? NaN);
    assert.equal(extended.predictRaw([...row, i]), model.predictRaw(row));
    assert.equal(extended.contributions([...row, i]).values[row.length], 0);
  }
  assert.throws(
    () => loadGbdt(valid, undefined, { extendTo: ['other', ...names] }),
    /the model's features are not the first of 6 names it is extended to/,
  );
});

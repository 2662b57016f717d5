import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BitKernel } from './bitwise-kernel.ts';
import { compileBitForest } from './bitwise.ts';
import type { Dataset } from './dataset.ts';
import { compileForest } from './forest.ts';
import type { TreeNodes } from './nodes.ts';
import { seededRandom } from './random.ts';
import { scoreColumns } from './score.ts';
import { aSyntheticDataset } from './synthetic.ts';
import { trainGbdt } from './train.ts';

/** Trees trained on data where x2 is often missing, so that nodes send missing values both ways. */
function trainedTrees(params: { maxDepth: number; maxLeaves: number }): TreeNodes[] {
  const { data, labels } = aSyntheticDataset({ rows: 4000, features: 6, seed: 5, noise: 0.05 });
  const random = seededRandom(2);
  data.columns[2]?.forEach((x, i, x2) => (x2[i] = random() < 0.2 + 0.3 * (labels[i] ?? 0) ? NaN : x));
  const json = trainGbdt(data, labels, { trees: 60, minSamplesLeaf: 5, ...params }).toJSON();
  return json.trees.map((tree) => ({
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    missingLeft: Uint8Array.from(tree.missingLeft, (flag) => (flag ? 1 : 0)),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    value: Float64Array.from(tree.value),
    cover: Float64Array.from(tree.cover),
    gain: Float64Array.from(tree.gain),
  }));
}

/** Random rows, more than one batch of the kernel and not a whole number of groups, with missing and infinite values. */
function randomData(rows: number, width: number): Dataset {
  const random = seededRandom(11);
  const value = () => {
    const u = random();
    return u < 0.1 ? NaN : u < 0.11 ? Infinity : u < 0.12 ? -Infinity : random() * 1.2 - 0.1;
  };
  const columns = Array.from({ length: width }, () => Float64Array.from({ length: rows }, value));
  return { names: columns.map((_, f) => `x${f}`), columns, rows };
}

test('bitwise scoring adds exactly the values tree traversal adds, missing values included', () => {
  const trees = trainedTrees({ maxDepth: 8, maxLeaves: 31 });
  assert.ok(
    trees.some((tree) => tree.missingLeft.includes(1)) &&
      trees.some((tree) => tree.feature.some((f, k) => f === 2 && tree.missingLeft[k] === 0)),
    'some nodes send missing values left, others right',
  );
  const forest = compileBitForest(trees, 6);
  assert.ok(forest, 'trees of depth 8 compile');
  const data = randomData(9001, 6);
  const expected = new Float64Array(data.rows).fill(0.25);
  scoreColumns(compileForest(trees, 6), data.columns, data.rows, expected);
  const actual = new Float64Array(data.rows).fill(0.25);
  new BitKernel(forest).addScores(data.columns, data.rows, actual);
  assert.deepEqual(actual, expected);
});

test('trees deeper than 8 are left to tree traversal, and a model of them still predicts alike', () => {
  const trees = trainedTrees({ maxDepth: 12, maxLeaves: 200 });
  assert.equal(compileBitForest(trees, 6), undefined);
  const { data, labels } = aSyntheticDataset({ rows: 3000, features: 6, seed: 5 });
  const model = trainGbdt(data, labels, { trees: 20, maxDepth: 12, maxLeaves: 200, minSamplesLeaf: 2 });
  const many = model.predictMany(data);
  for (let i = 0; i < data.rows; i += 97) {
    assert.equal(many[i], model.predict(data.columns.map((column) => column[i] ?? NaN)));
  }
});

test('contributions of many rows at once are those of each row, from the kernel and from deep trees alike', () => {
  const { data: train, labels } = aSyntheticDataset({ rows: 4000, features: 6, seed: 5, noise: 0.05 });
  const random = seededRandom(3);
  train.columns[2]?.forEach((x, i, x2) => (x2[i] = random() < 0.2 + 0.3 * (labels[i] ?? 0) ? NaN : x));
  const data = { ...randomData(4500, 6), names: train.names };
  for (const shape of [
    { maxDepth: 8, maxLeaves: 31 },
    { maxDepth: 12, maxLeaves: 200 },
  ]) {
    const model = trainGbdt(train, labels, { trees: 40, minSamplesLeaf: 5, ...shape });
    const many = model.contributionsMany(data);
    assert.equal(many.values.length, data.rows * 6);
    for (let i = 0; i < data.rows; i++) {
      const one = model.contributions(data.columns.map((column) => column[i] ?? NaN));
      assert.equal(many.base, one.base);
      assert.deepEqual(
        many.values.subarray(i * 6, i * 6 + 6),
        one.values,
        `row ${i}, depth ${shape.maxDepth}`,
      );
    }
  }
});

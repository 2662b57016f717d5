import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dataset } from './dataset.ts';
import { logLoss } from './loss.ts';
import { auc } from './metrics.ts';
import { seededRandom } from './random.ts';
import { aSyntheticDataset, sliceRows } from './synthetic.ts';
import { trainGbdt } from './train.ts';

const logit = (p: number) => Math.log(p / (1 - p));

/** Mean log-loss of probabilities. */
function probabilityLoss(probabilities: Float64Array, labels: Float64Array): number {
  return logLoss(probabilities.map(logit), labels);
}

test('learns x0 > 0.5 xor x1 > 0.3 to an AUC above 0.95 on held-out rows and beats a constant', () => {
  // 2 % of labels flipped: even the true rule reaches an AUC of only 0.98.
  const all = aSyntheticDataset({ rows: 6000, features: 5, seed: 11, noise: 0.02 });
  const train = sliceRows(all, 0, 4000);
  const test = sliceRows(all, 4000, 6000);
  const model = trainGbdt(train.data, train.labels, { trees: 80, learningRate: 0.2, maxLeaves: 8 });
  const p = model.predictMany(test.data);
  assert.ok(auc(p, test.labels) > 0.95, `auc ${auc(p, test.labels)}`);
  const mean = train.labels.reduce((a, b) => a + b, 0) / train.labels.length;
  const constant = probabilityLoss(new Float64Array(test.data.rows).fill(mean), test.labels);
  const learned = probabilityLoss(p, test.labels);
  assert.ok(learned < 0.6 * constant, `log-loss ${learned} vs constant ${constant}`);
  const top = model
    .featureImportance()
    .slice(0, 2)
    .map((f) => f.name);
  assert.deepEqual(top.sort(), ['x0', 'x1']);
});

test('uses a feature that is missing for the positive class only', () => {
  const random = seededRandom(5);
  const rows = 3000;
  const labels = Float64Array.from({ length: rows }, () => (random() < 0.3 ? 1 : 0));
  const noise = Float64Array.from({ length: rows }, () => random());
  const flag = labels.map((y) => (y === 1 ? NaN : random()));
  const data: Dataset = { names: ['noise', 'flag'], columns: [noise, flag], rows };
  const model = trainGbdt(data, labels, { trees: 30, learningRate: 0.3 });
  assert.equal(model.featureImportance()[0]?.name, 'flag');
  assert.ok(model.predict([0.5, NaN]) > 0.9, `missing: ${model.predict([0.5, NaN])}`);
  assert.ok(model.predict([0.5, 0.5]) < 0.1, `present: ${model.predict([0.5, 0.5])}`);
});

test('gives the same model for the same seed and a different one for another seed', () => {
  const { data, labels } = aSyntheticDataset({ rows: 1500, features: 6, seed: 3 });
  const params = { trees: 15, subsample: 0.7, colsample: 0.5 };
  const first = JSON.stringify(trainGbdt(data, labels, { ...params, seed: 1 }));
  const again = JSON.stringify(trainGbdt(data, labels, { ...params, seed: 1 }));
  const other = JSON.stringify(trainGbdt(data, labels, { ...params, seed: 2 }));
  assert.equal(again, first);
  assert.notEqual(other, first);
});

test('stops early and keeps the round with the lowest validation loss', () => {
  const all = aSyntheticDataset({ rows: 3000, features: 8, seed: 21, noise: 0.2 });
  const train = sliceRows(all, 0, 2000);
  const valid = sliceRows(all, 2000, 3000);
  const params = { trees: 300, learningRate: 0.1, maxLeaves: 31, minSamplesLeaf: 5 };
  const stopped = trainGbdt(train.data, train.labels, { ...params, earlyStoppingRounds: 10 }, valid);
  assert.ok(stopped.treeCount > 1 && stopped.treeCount < 300, `kept ${stopped.treeCount} trees`);
  // The same seed grows the same trees, so shorter and longer runs are prefixes of the stopped one.
  const loss = (trees: number) =>
    probabilityLoss(
      trainGbdt(train.data, train.labels, { ...params, trees }).predictMany(valid.data),
      valid.labels,
    );
  const best = probabilityLoss(stopped.predictMany(valid.data), valid.labels);
  assert.equal(best, loss(stopped.treeCount));
  assert.ok(best < loss(stopped.treeCount - 1) && best <= loss(stopped.treeCount + 10));
});

test('refuses labels other than 0 and 1, parameters out of range and mismatched validation data', () => {
  const { data, labels } = aSyntheticDataset({ rows: 100, features: 3 });
  assert.throws(
    () =>
      trainGbdt(
        data,
        labels.map((y) => y * 2),
      ),
    /label of row \d+ is 2/,
  );
  assert.throws(() => trainGbdt(data, labels, { bins: 300 }), /bins is 300/);
  assert.throws(() => trainGbdt(data, labels, { subsample: 0 }), /subsample is 0/);
  assert.throws(() => trainGbdt(data, labels, { earlyStoppingRounds: 3 }), /needs validation data/);
  const renamed = { data: { ...data, names: ['x0', 'x2', 'x1'] }, labels };
  assert.throws(() => trainGbdt(data, labels, {}, renamed), /trained on features \[x0, x1, x2\]/);
  const infinite = {
    ...data,
    columns: [data.columns[0]?.map(() => Infinity) ?? new Float64Array(0), ...data.columns.slice(1)],
  };
  assert.throws(() => trainGbdt(infinite, labels), /use NaN for a missing value/);
});

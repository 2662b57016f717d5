import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadGbdt } from './load.ts';
import { seededRandom } from './random.ts';
import { aSyntheticDataset } from './synthetic.ts';
import { trainGbdt } from './train.ts';

/** A model on data where a fifth of x2 is missing, so trees learn missing-value directions. */
function aModel() {
  const labelled = aSyntheticDataset({ rows: 3000, features: 6, seed: 4, noise: 0.05 });
  const x2 = labelled.data.columns[2] ?? new Float64Array(0);
  for (let i = 0; i < x2.length; i += 5) x2[i] = NaN;
  const model = trainGbdt(labelled.data, labelled.labels, { trees: 40, maxLeaves: 15, subsample: 0.8 });
  return { model, ...labelled };
}

/** Random rows in feature order with about one value in ten missing. */
function randomRows(count: number, width: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Float64Array.from({ length: width }, () => (random() < 0.1 ? NaN : random() * 1.2 - 0.1)),
  );
}

test('contributions add up to the raw prediction on 200 random rows', () => {
  const { model } = aModel();
  for (const row of randomRows(200, 6, 9)) {
    const { base, values } = model.contributions(row);
    const sum = values.reduce((a, b) => a + b, base);
    assert.ok(Math.abs(sum - model.predictRaw(row)) < 1e-9, `${sum} vs ${model.predictRaw(row)}`);
  }
});

test('predictMany gives the same probabilities as predict row by row', () => {
  const { model, data } = aModel();
  const many = model.predictMany(data);
  for (let i = 0; i < data.rows; i += 7) {
    const row = data.columns.map((column) => column[i] ?? NaN);
    assert.equal(many[i], model.predict(row));
  }
});

test('a model read back from JSON text predicts identically', () => {
  const { model, data } = aModel();
  const copy = loadGbdt(JSON.parse(JSON.stringify(model)), data.names);
  assert.deepEqual(copy.predictMany(data), model.predictMany(data));
  assert.deepEqual(copy.toJSON(), model.toJSON());
  assert.deepEqual(copy.featureImportance(), model.featureImportance());
  assert.equal(copy.treeCount, 40);
  assert.equal(copy.baseScore, model.baseScore);
});

test('refuses rows and data that do not match its features', () => {
  const { model, data } = aModel();
  assert.throws(() => model.predict([1, 2, 3]), /a row has 3 values, the model expects 6 features/);
  const fewer = { names: data.names.slice(1), columns: data.columns.slice(1), rows: data.rows };
  assert.throws(
    () => model.predictMany(fewer),
    /trained on features \[x0, .*these data have \[x1, .*missing "x0"/,
  );
});

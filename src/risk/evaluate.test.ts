import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibration } from './evaluate.ts';

test('the Brier score is the mean squared gap between probability and label', () => {
  const { brier } = calibration(Float64Array.from([0.9, 0.2, 0.5, 0]), Float64Array.from([1, 0, 1, 0]));
  assert.equal(brier, (0.01 + 0.04 + 0.25 + 0) / 4);
});

test('the reliability table puts each probability in its tenth and compares the mean with the share found', () => {
  const probabilities = Float64Array.from([0.05, 0.08, 0.35, 0.31, 0.33, 1]);
  const labels = Float64Array.from([0, 0, 1, 0, 0, 1]);
  const { reliability } = calibration(probabilities, labels);
  assert.equal(reliability.length, 10);
  assert.deepEqual(reliability[0], { from: 0, to: 0.1, n: 2, predicted: 0.065, observed: 0 });
  assert.deepEqual(reliability[3], { from: 0.3, to: 0.4, n: 3, predicted: 0.33, observed: 0.3333 });
  // a probability of exactly 1 belongs to the last bin
  assert.deepEqual(reliability[9], { from: 0.9, to: 1, n: 1, predicted: 1, observed: 1 });
  assert.ok(Number.isNaN(reliability[5]?.predicted));
});

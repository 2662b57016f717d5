import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auc, precisionAt } from './metrics.ts';

test('auc is the share of positive-negative pairs ranked the right way', () => {
  assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  assert.equal(auc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]), 1);
  assert.equal(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
});

test('auc counts tied scores as half right', () => {
  assert.equal(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  assert.equal(auc([0.7, 0.5, 0.5, 0.1], [1, 1, 0, 0]), 0.875);
});

test('auc is NaN without both classes', () => {
  assert.ok(Number.isNaN(auc([0.2, 0.3], [1, 1])));
});

test('precisionAt is the hit rate among the highest-scoring share of rows', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
  const labels = [1, 0, 1, 1, 0, 0, 0, 1, 0, 0];
  assert.equal(precisionAt(scores, labels, 0.1), 1);
  assert.equal(precisionAt(scores, labels, 0.2), 0.5);
  assert.equal(precisionAt(scores, labels, 0.4), 0.75);
  assert.equal(precisionAt(scores, labels, 1), 0.4);
  assert.equal(precisionAt(scores, labels, 0.01), 1, 'at least one row');
  assert.throws(() => precisionAt(scores, labels, 0), /share is 0/);
});

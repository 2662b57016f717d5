import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagePathLength } from './tree.ts';

/** 2 H(n - 1) - 2 (n - 1) / n with the harmonic number summed term by term. */
function exactAveragePathLength(n: number): number {
  let harmonic = 0;
  for (let i = 1; i < n; i++) harmonic += 1 / i;
  return 2 * harmonic - (2 * (n - 1)) / n;
}

test('c(n) is the average path length of an unsuccessful search among n keys', () => {
  assert.equal(averagePathLength(0), 0);
  assert.equal(averagePathLength(1), 0);
  assert.equal(averagePathLength(2), 1);
  // Liu et al. approximate H(i) by ln(i) + Euler's constant, which is off by about 1 / (2i).
  for (const n of [64, 256, 4096]) {
    const gap = Math.abs(averagePathLength(n) - exactAveragePathLength(n));
    assert.ok(gap < 1.1 / (n - 1), `c(${n}) is ${gap} away from the exact value`);
  }
});

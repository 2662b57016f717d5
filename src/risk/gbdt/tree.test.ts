import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binDataset } from './binning.ts';
import { compileForest, fillBlock, rowSlots } from './forest.ts';
import { HistogramKernel } from './histogram-kernel.ts';
import { histogramSize, HistogramPool } from './histogram.ts';
import { resolveParams } from './params.ts';
import { seededRandom } from './random.ts';
import { scoreRowAt } from './score.ts';
import { aSyntheticDataset } from './synthetic.ts';
import { growTree } from './tree.ts';

test('the raw thresholds send every row to the leaf its bins put it in, missing values included', () => {
  const { data, labels } = aSyntheticDataset({ rows: 3000, features: 4, seed: 8, noise: 0.1 });
  const random = seededRandom(3);
  // x2 is missing for a third of the rows, more often for positives; x3 has just three values.
  data.columns[2]?.forEach(
    (_, i, x2) => (x2[i] = random() < 0.2 + 0.3 * (labels[i] ?? 0) ? NaN : (x2[i] ?? 0)),
  );
  data.columns[3]?.forEach((x, i, x3) => (x3[i] = Math.floor(x * 3)));
  const params = resolveParams({ maxLeaves: 31, maxDepth: 8, learningRate: 1, minSamplesLeaf: 10 });
  const binned = binDataset(data, 32);
  const rows = data.rows;
  const input = {
    binned,
    grad: labels.map((y) => 0.3 - y),
    hess: new Float64Array(rows).fill(0.21),
    rows: Uint32Array.from({ length: rows }, (_, i) => i),
    count: rows,
    scratch: new Uint32Array(rows),
    gathered: new Float64Array(2 * rows),
    goesLeft: new Uint8Array(256),
    features: Int32Array.of(0, 1, 2, 3),
    pool: new HistogramPool(histogramSize(binned)),
    params,
  };
  const grown = growTree(input);
  assert.ok(grown.leaves.length > 20, `${grown.leaves.length} leaves`);
  assert.ok(Array.from(grown.nodes.feature).includes(2), 'splits on the feature with missing values');
  const forest = compileForest([grown.nodes], 4);
  const block = new Float64Array(rows * rowSlots(4));
  fillBlock(data.columns, 0, rows, block);
  const reached = new Set<number>();
  for (const { start, end, value } of grown.leaves) {
    for (let i = start; i < end; i++) {
      const row = input.rows[i] ?? 0;
      reached.add(row);
      assert.equal(scoreRowAt(forest, block, row), value);
    }
  }
  assert.equal(reached.size, rows);
});

test('histograms built in WebAssembly grow the same tree, to the bit, as the JavaScript loop', () => {
  // 7 features: one pass of four and one of three; varied gradients, so any change of order shows
  const { data, labels } = aSyntheticDataset({ rows: 4000, features: 7, seed: 5, noise: 0.2 });
  const random = seededRandom(11);
  data.columns[5]?.forEach((_, i, x) => (x[i] = random() < 0.3 ? NaN : (x[i] ?? 0)));
  const binned = binDataset(data, 64);
  const params = resolveParams({ maxLeaves: 31, maxDepth: 8, learningRate: 0.3, minSamplesLeaf: 5 });
  const grad = labels.map((y) => random() - y);
  const hess = grad.map(() => 0.05 + random() / 4);
  const grow = (pool: HistogramPool, inKernel = false) => {
    const sampled = Uint32Array.from({ length: data.rows }, (_, i) => i).filter((i) => i % 5 !== 0);
    const { kernel } = pool;
    // in the kernel's memory, the kernel also partitions the rows
    const rows = inKernel && kernel ? kernel.sampled : sampled;
    rows.set(sampled);
    return growTree({
      binned,
      grad,
      hess,
      rows,
      count: sampled.length,
      scratch: inKernel && kernel ? kernel.scratch : new Uint32Array(data.rows),
      gathered: new Float64Array(2 * data.rows),
      goesLeft: inKernel && kernel ? kernel.goesLeft : new Uint8Array(256),
      features: Int32Array.of(0, 1, 2, 3, 4, 5, 6),
      pool,
      params,
    });
  };
  const size = histogramSize(binned);
  const plain = grow(new HistogramPool(size));
  // few slots: the pool falls back to plain histograms, mixing both kinds in one tree
  const kernel = new HistogramKernel(binned, size, 3);
  const wasm = grow(new HistogramPool(size, kernel));
  assert.ok(plain.leaves.length > 20, `${plain.leaves.length} leaves`);
  assert.deepEqual(wasm.nodes, plain.nodes);
  assert.deepEqual(wasm.splitBins, plain.splitBins);
  const roomy = new HistogramKernel(binned, size, params.maxLeaves + 2);
  const inKernel = grow(new HistogramPool(size, roomy), true);
  assert.deepEqual(inKernel.nodes, plain.nodes);
  assert.deepEqual(inKernel.leaves, plain.leaves);
});

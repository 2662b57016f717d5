import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binDataset, binOf, quantileCuts } from './binning.ts';
import { seededRandom } from './random.ts';

test('gives each of a few distinct values its own bin, cut halfway between neighbours', () => {
  const cuts = quantileCuts(Float64Array.of(3, 1, 2, 2, NaN, 3, 1), 255);
  assert.deepEqual(Array.from(cuts), [1.5, 2.5]);
});

test('cuts many values into bins of about equal counts', () => {
  const random = seededRandom(1);
  const values = Float64Array.from({ length: 16000 }, () => random());
  const cuts = quantileCuts(values, 16);
  assert.equal(cuts.length, 15);
  const counts = new Array<number>(16).fill(0);
  for (const x of values) counts[binOf(x, cuts, 16)] = (counts[binOf(x, cuts, 16)] ?? 0) + 1;
  for (const count of counts) assert.ok(count > 800 && count < 1200, `bin of ${count} rows`);
});

test('keeps a heavy value in a bin of its own', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
  const cuts = quantileCuts(values, 10);
  assert.equal(binOf(0, cuts, 10), 0);
  assert.equal(binOf(900, cuts, 10), 1);
});

test('puts missing values in the missing bin and every value at or below its cut', () => {
  const column = Float64Array.of(5, NaN, -1, 7, 7, 0.5);
  const binned = binDataset({ names: ['x'], columns: [column], rows: 6 }, 4);
  const bins = binned.bins[0] ?? new Uint8Array(0);
  const cuts = binned.cuts[0] ?? new Float64Array(0);
  assert.equal(bins[1], binned.missingBin);
  column.forEach((x, i) => {
    const bin = bins[i] ?? 0;
    if (Number.isNaN(x)) return;
    assert.ok(x <= (cuts[bin] ?? Infinity) && x > (cuts[bin - 1] ?? -Infinity), `${x} in bin ${bin}`);
  });
});

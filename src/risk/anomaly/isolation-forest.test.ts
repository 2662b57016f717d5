import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fitIsolationForest,
  loadIsolationForest,
  type IsolationForest,
  type SerializedIsolationForest,
} from './isolation-forest.ts';
import { seededRandom } from './random.ts';
import { averagePathLength } from './tree.ts';

/** Column-major standard normal data, e.g. `aGaussianCloud({ rows: 1000, features: 3 })`. */
function aGaussianCloud(options: { rows?: number; features?: number; seed?: number; missing?: number } = {}) {
  const { rows = 2000, features = 3, seed = 11, missing = 0 } = options;
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const columns = Array.from({ length: features }, () =>
    Float64Array.from({ length: rows }, () => (random() < missing ? NaN : normal())),
  );
  const names = Array.from({ length: features }, (_, f) => `x${f}`);
  return { columns, names };
}

/** Writes `row` over row `at` of column-major data. */
function plant(columns: Float64Array[], at: number, row: number[]): void {
  columns.forEach((column, f) => (column[at] = row[f] ?? NaN));
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1] ?? NaN;
}

/** The score computed the slow way: walk each serialized tree node by node and average the path lengths. */
function scoreByHand(json: SerializedIsolationForest, row: number[]): number {
  let total = 0;
  for (const tree of json.trees) {
    let k = 0;
    let depth = 0;
    for (let f = tree.feature[0] ?? -1; f >= 0; f = tree.feature[k] ?? -1, depth++) {
      const x = row[f] ?? NaN;
      const left = Number.isNaN(x) ? tree.missingLeft[k] : x <= (tree.threshold[k] ?? 0);
      k = (left ? tree.left[k] : tree.right[k]) ?? 0;
    }
    total += depth + averagePathLength(tree.size[k] ?? 0);
  }
  return 2 ** (-total / json.trees.length / averagePathLength(json.sampleSize));
}

test('a planted outlier far from a Gaussian cloud scores clearly higher than the inliers', () => {
  const { columns, names } = aGaussianCloud();
  plant(columns, 0, [6, -6, 6]);
  const scores = fitIsolationForest(columns, names, { seed: 3 }).scoreMany(columns);
  const inliers = scores.subarray(1);
  assert.ok((scores[0] ?? 0) > 0.65, `outlier scored ${scores[0]}`);
  assert.ok(median(inliers) < 0.5, `median inlier scored ${median(inliers)}`);
  assert.ok(
    inliers.every((s) => s < (scores[0] ?? 0)),
    'some inlier scored at least as high as the outlier',
  );
});

test('the explanation of an outlier that is extreme in one feature names that feature first', () => {
  for (let extreme = 0; extreme < 4; extreme++) {
    const { columns, names } = aGaussianCloud({ features: 4, seed: 20 + extreme });
    const row = [0.3, -0.2, 0.1, 0.4];
    row[extreme] = extreme % 2 === 0 ? 7 : -7;
    plant(columns, 0, row);
    const shares = fitIsolationForest(columns, names, { seed: extreme }).explain(row);
    assert.equal(shares[0]?.name, names[extreme], JSON.stringify(shares));
    assert.deepEqual(shares.map((s) => s.name).sort(), names);
    assert.ok(Math.abs(shares.reduce((sum, s) => sum + s.share, 0) - 1) < 1e-12);
    assert.ok(
      shares.every((s, i) => i === 0 || s.share <= (shares[i - 1]?.share ?? 0)),
      'not sorted',
    );
  }
});

test('the same seed grows the same forest and another seed a different one', () => {
  const { columns, names } = aGaussianCloud({ missing: 0.05 });
  const grow = (seed?: number) => fitIsolationForest(columns, names, { trees: 20, seed }).toJSON();
  assert.deepEqual(grow(7), grow(7));
  assert.deepEqual(grow(undefined), grow(1), 'an undefined seed takes the default');
  assert.notDeepEqual(grow(7), grow(8));
});

test('scores agree with walking every tree by hand, missing values included', () => {
  const { columns, names } = aGaussianCloud({ rows: 500, missing: 0.1, seed: 5 });
  const model = fitIsolationForest(columns, names, { trees: 30, seed: 2 });
  const json = model.toJSON();
  const rows = [
    [0, 0, 0],
    [3, NaN, -2],
    [NaN, NaN, NaN],
    [-9, 9, 0.5],
    [1e9, -1e9, NaN],
    [Infinity, -Infinity, 0],
  ];
  for (const row of rows) {
    assert.ok(Math.abs(model.score(row) - scoreByHand(json, row)) < 1e-12, `row ${row}`);
  }
  const batch = model.scoreMany(names.map((_, f) => Float64Array.from(rows, (row) => row[f] ?? NaN)));
  assert.deepEqual(
    Array.from(batch),
    rows.map((row) => model.score(row)),
  );
});

test('a missing value goes to the side that held more of the node’s training rows', () => {
  const { columns, names } = aGaussianCloud({ rows: 500, missing: 0.3, seed: 6 });
  const json = fitIsolationForest(columns, names, { trees: 10, seed: 4 }).toJSON();
  let splits = 0;
  for (const tree of json.trees) {
    tree.feature.forEach((f, k) => {
      if (f < 0) return;
      splits++;
      const left = tree.size[tree.left[k] ?? 0] ?? 0;
      const right = tree.size[tree.right[k] ?? 0] ?? 0;
      assert.equal(tree.missingLeft[k], left >= right, `node ${k}: ${left} rows left, ${right} right`);
    });
  }
  assert.ok(splits > 100);
});

test('missing features do not crash and still give a score in (0, 1)', () => {
  const { columns, names } = aGaussianCloud({ missing: 0.2 });
  const model = fitIsolationForest(columns, names, { seed: 9 });
  const rows = [
    [NaN, 0, 0],
    [NaN, NaN, NaN],
    [NaN, 40, NaN],
  ];
  for (const row of rows) {
    const score = model.score(row);
    assert.ok(score > 0 && score < 1, `row ${row} scored ${score}`);
    assert.ok(Math.abs(model.explain(row).reduce((sum, s) => sum + s.share, 0) - 1) < 1e-12);
  }
  assert.ok(model.scoreMany(columns).every((s) => s > 0 && s < 1));
  assert.equal(model.explain([NaN, 40, NaN])[0]?.name, 'x1');
});

test('a JSON round trip scores and explains every row identically', () => {
  const { columns, names } = aGaussianCloud({ missing: 0.05 });
  const model = fitIsolationForest(columns, names, { trees: 50, seed: 1 });
  const loaded: IsolationForest = loadIsolationForest(JSON.parse(JSON.stringify(model)), names);
  assert.deepEqual(loaded.scoreMany(columns), model.scoreMany(columns));
  assert.deepEqual(loaded.explain([5, NaN, -1]), model.explain([5, NaN, -1]));
  assert.deepEqual(loaded.toJSON(), model.toJSON());
});

test('fitIsolationForest refuses settings out of range and data it cannot use', () => {
  const { columns, names } = aGaussianCloud({ rows: 50 });
  const cases: [string, () => unknown, RegExp][] = [
    [
      'no trees',
      () => fitIsolationForest(columns, names, { trees: 0 }),
      /trees is 0, expected a whole number/,
    ],
    ['a sample of one', () => fitIsolationForest(columns, names, { sampleSize: 1 }), /sampleSize is 1/],
    ['a fractional seed', () => fitIsolationForest(columns, names, { seed: 0.5 }), /seed is 0.5/],
    ['a depth of zero', () => fitIsolationForest(columns, names, { maxDepth: 0 }), /maxDepth is 0/],
    ['a name short', () => fitIsolationForest(columns, names.slice(1)), /2 feature names but 3 columns/],
    ['duplicate names', () => fitIsolationForest(columns, ['a', 'b', 'a']), /names must be unique/],
    ['one row', () => fitIsolationForest([new Float64Array(1)], ['a']), /at least 2 rows, got 1/],
    [
      'ragged columns',
      () => fitIsolationForest([new Float64Array(3), new Float64Array(2)], ['a', 'b']),
      /column "b" has 2 values, column "a" has 3/,
    ],
    [
      'an infinity',
      () => fitIsolationForest([Float64Array.of(1, -Infinity)], ['a']),
      /column "a" row 1 is -Infinity; use NaN/,
    ],
  ];
  for (const [what, fit, message] of cases) assert.throws(fit, message, what);
});

test('a sample size above the row count grows each tree on every row', () => {
  const { columns, names } = aGaussianCloud({ rows: 40 });
  const json = fitIsolationForest(columns, names, { trees: 3, sampleSize: 256 }).toJSON();
  assert.equal(json.sampleSize, 40);
  assert.deepEqual(
    json.trees.map((tree) => tree.size[0]),
    [40, 40, 40],
  );
});

test('data with a single distinct row scores 0.5 everywhere and explains nothing', () => {
  const model = fitIsolationForest([new Float64Array(30).fill(2), new Float64Array(30)], ['a', 'b']);
  assert.ok(Math.abs(model.score([2, 0]) - 0.5) < 1e-12);
  assert.ok(Math.abs(model.score([-100, 100]) - 0.5) < 1e-12);
  assert.deepEqual(model.explain([-100, 100]), []);
});

test('a row of the wrong width is refused', () => {
  const { columns, names } = aGaussianCloud({ rows: 50 });
  const model = fitIsolationForest(columns, names, { trees: 2 });
  assert.throws(() => model.score([1, 2]), /a row has 2 values, the model expects 3 features/);
  assert.throws(() => model.explain([1, 2, 3, 4]), /a row has 4 values/);
  assert.throws(() => model.scoreMany(columns.slice(1)), /3 feature names but 2 columns/);
});

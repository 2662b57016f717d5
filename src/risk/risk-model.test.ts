import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDeclarations } from '../demo/generate.ts';
import { evaluateScores } from './evaluate.ts';
import { appendedFeatures, FeatureEncoder, featureNames, type Labelled } from './features.ts';
import { trainGbdt, type Dataset, type GbdtModel } from './gbdt/index.ts';
import { explainContributions } from './selectivity.ts';
import {
  loadRiskModel,
  riskParams,
  serializeRiskModel,
  trainRiskModel,
  TrainingError,
} from './risk-model.ts';

function labelledDemo(count: number, seed: number, from: string, to: string): Labelled[] {
  return [...generateDeclarations({ count, seed, from, to })].map(({ input, label }) => ({
    declaration: input,
    fraud: label.outcome === 'non_compliant' ? 1 : 0,
    critical: label.irregularity === 'false_origin' ? 1 : 0,
  }));
}

const train = labelledDemo(6000, 11, '2025-01-01', '2025-09-30');
const later = labelledDemo(2500, 12, '2025-10-01', '2025-12-31');
const small = { trees: 60, learningRate: 0.1, maxLeaves: 15, minSamplesLeaf: 10 };
const model = trainRiskModel(train, [], small);

test('a model trained on generated declarations ranks later ones far better than chance', () => {
  const scores = model.fraud.predictMany(model.encoder.encodeMany(later.map((r) => r.declaration)));
  const result = evaluateScores(
    scores,
    Float64Array.from(later, (r) => r.fraud),
  );
  const baseRate = result.positives / result.n;
  assert.ok(result.auc > 0.7, `AUC ${result.auc}`);
  assert.ok(
    (result.precisionAt['10'] ?? 0) > 2 * baseRate,
    `precision@10% ${result.precisionAt['10']} vs base rate ${baseRate}`,
  );
});

test('the training window and counts are recorded', () => {
  assert.equal(model.window.rows, train.length);
  assert.equal(model.window.positives, train.filter((r) => r.fraud).length);
  assert.ok(model.window.from >= '2025-01-01' && model.window.to <= '2025-09-30');
});

test('a saved model loads and scores exactly as before', () => {
  const again = loadRiskModel(JSON.parse(JSON.stringify(serializeRiskModel(model))));
  for (const r of later.slice(0, 50)) {
    const row = model.encoder.encode(r.declaration);
    assert.equal(again.fraud.predict(again.encoder.encode(r.declaration)), model.fraud.predict(row));
    assert.equal(again.critical.predict(row), model.critical.predict(row));
  }
});

test('explanations add up: base value plus contributions equal the score', () => {
  const first = later[0];
  if (!first) throw new Error('no generated declarations');
  const row = model.encoder.encode(first.declaration);
  const { base, values } = model.fraud.contributions(row);
  const sum = values.reduce((s, v) => s + v, base);
  assert.ok(Math.abs(sum - model.fraud.predictRaw(row)) < 1e-9);
});

test('without validation data, the latest tenth in time chooses each number of trees, then every row is learned', () => {
  // the rows come newest first: what is held out must be the latest in time, not the end of the list
  const rows = labelledDemo(3000, 21, '2025-01-01', '2025-06-30').sort((a, b) =>
    a.declaration.date < b.declaration.date ? 1 : a.declaration.date > b.declaration.date ? -1 : 0,
  );
  const params = { ...riskParams, trees: 120, learningRate: 0.3, maxLeaves: 15 };
  const fitted = trainRiskModel(rows, [], params);
  assert.equal(fitted.window.rows, rows.length, 'the final model learned every row');
  assert.equal(fitted.window.to, rows[0]?.declaration.date, 'the latest rows are learned too');

  const oldestFirst = [...rows].sort((a, b) =>
    a.declaration.date < b.declaration.date ? -1 : a.declaration.date > b.declaration.date ? 1 : 0,
  );
  const cut = Math.floor(rows.length * 0.9);
  const chooser = trainRiskModel(oldestFirst.slice(0, cut), oldestFirst.slice(cut), params);
  assert.ok(chooser.fraud.treeCount < params.trees, 'early stopping chose fewer trees than the most');
  assert.equal(fitted.fraud.treeCount, chooser.fraud.treeCount);
  assert.equal(fitted.critical.treeCount, chooser.critical.treeCount);
});

test('P(critical fraud) learns at a rate of at least 0.1, P(fraud) at the rate given', () => {
  const rows = train.slice(0, 2000);
  const slow = { trees: 10, learningRate: 0.05, maxLeaves: 15, minSamplesLeaf: 10 };
  const fitted = trainRiskModel(rows, [], slow);
  const { data } = FeatureEncoder.fit(rows);
  const alone = (label: (r: Labelled) => number, learningRate: number) =>
    trainGbdt(data, Float64Array.from(rows, label), { ...slow, learningRate });
  const scored = fitted.encoder.encodeMany(later.map((r) => r.declaration));
  const same = (a: GbdtModel, b: GbdtModel) => assert.deepEqual(a.predictMany(scored), b.predictMany(scored));
  same(
    fitted.fraud,
    alone((r) => r.fraud, 0.05),
  );
  same(
    fitted.critical,
    alone((r) => r.critical, 0.1),
  );
  // a rate above 0.1 is kept for both
  const fast = trainRiskModel(rows, [], { ...slow, learningRate: 0.3 });
  same(
    fast.critical,
    alone((r) => r.critical, 0.3),
  );
});

test('a training set too small to hold any of it out is refused with a message, not a crash', () => {
  const few = labelledDemo(300, 3, '2025-01-01', '2025-01-31').slice(0, 54);
  assert.throws(() => trainRiskModel(few, [], riskParams), TrainingError);
  assert.throws(
    () => trainRiskModel(few, [], riskParams),
    /needs at least 50 declarations before it, got 48 of 54/,
  );
  assert.throws(() => trainRiskModel(few.slice(0, 20)), /at least 50 labelled declarations, got 20/);
});

/**
 * The features appended since models were first stored, in this order (features.ts): the mirror
 * figures, then the descriptions, then the codes of the fields of few values.
 */
const appendedNames = [
  'mirrorValueRatio',
  'mirrorQuantityRatio',
  'mirrorMassRatio',
  'mirrorHsMismatch',
  'mirrorOriginMismatch',
  'descriptionAgreement',
  'documentDiscrepancies',
  ...[
    'office',
    'processingMode',
    'procedure',
    'additionalProcedure',
    'paymentMethod',
    'transportMode',
    'dutyTaxType',
    'originIndicator',
    'courier',
    'dispatchCountry',
    'originCountry',
    'hs2',
  ].map((name) => `${name}:code`),
];

/** The first `width` features of encoded data, as a version that computed no more wrote them. */
const firstFeatures = (data: Dataset, width: number): Dataset => ({
  names: data.names.slice(0, width),
  columns: data.columns.slice(0, width),
  rows: data.rows,
});

/**
 * A model as a version before the last `n` features would have trained and written it (the mirror's:
 * before them all): the saved model's encoder, with trees grown on the features before those.
 */
function withoutLastFeature(
  json: Record<string, unknown>,
  rows: readonly Labelled[],
  n = appendedNames.length,
): { json: Record<string, unknown>; fraud: GbdtModel; critical: GbdtModel } {
  const width = featureNames.length - n;
  const data = firstFeatures(FeatureEncoder.fit(rows).data, width);
  const fraud = trainGbdt(
    data,
    Float64Array.from(rows, (r) => r.fraud),
    small,
  );
  const critical = trainGbdt(
    data,
    Float64Array.from(rows, (r) => r.critical),
    small,
  );
  const older = { ...json, features: featureNames.slice(0, width) };
  return { json: { ...older, fraud: fraud.toJSON(), critical: critical.toJSON() }, fraud, critical };
}

test('a model trained before the mirror value ratio loads and scores as before, with or without a ratio', () => {
  assert.deepEqual(featureNames.slice(-appendedNames.length), appendedNames);
  assert.deepEqual(appendedFeatures, appendedNames);
  const saved = JSON.parse(JSON.stringify(serializeRiskModel(model))) as Record<string, unknown>;
  const before = withoutLastFeature(saved, train);
  const old = loadRiskModel(before.json);
  const declarations = later.slice(0, 200).map((r) => r.declaration);
  const width = featureNames.length - appendedNames.length;
  const encoded = firstFeatures(model.encoder.encodeMany(declarations), width);
  const expected = before.fraud.predictMany(encoded);
  assert.deepEqual(old.fraud.predictMany(old.encoder.encodeMany(declarations)), expected);
  const withRatio = old.encoder.encodeMany(
    declarations,
    declarations.map(() => ({ mirrorValueRatio: 0.2, mirrorQuantityRatio: 0.3, mirrorHsMismatch: 1 })),
  );
  assert.deepEqual(old.fraud.predictMany(withRatio), expected);
  assert.deepEqual(old.critical.predictMany(withRatio), before.critical.predictMany(encoded));
  for (const d of declarations.slice(0, 50)) {
    const row = old.encoder.encode(d, { mirrorValueRatio: 0.2, mirrorMassRatio: 3, mirrorOriginMismatch: 1 });
    assert.equal(old.fraud.predict(row), before.fraud.predict(row.slice(0, width)));
    const { base, values } = old.fraud.contributions(row);
    for (const name of appendedNames) assert.equal(values[featureNames.indexOf(name)], 0);
    const reasons = explainContributions(featureNames, base, values);
    assert.ok(!reasons.some((r) => r.kind === 'factor' && r.feature.startsWith('mirror')));
  }
});

test('a model whose features differ otherwise is refused: reordered, another appended, more missing', () => {
  const saved = JSON.parse(JSON.stringify(serializeRiskModel(model))) as Record<string, unknown>;
  const [first = '', second = '', ...rest] = featureNames;
  const lists = [
    [second, first, ...rest],
    [...featureNames, 'other'],
    featureNames.slice(0, -(appendedNames.length + 1)),
  ];
  for (const features of lists)
    assert.throws(
      () => loadRiskModel({ ...saved, features }),
      /^Error: the model was trained on other features than this version computes: retrain it$/,
    );
  const tampered = withoutLastFeature(saved, train).json;
  const fraud = tampered.fraud as Record<string, unknown>;
  tampered.fraud = { ...fraud, featureNames: [second, first, ...rest.slice(0, -appendedNames.length)] };
  assert.throws(() => loadRiskModel(tampered), /order differs at position 0/);
});

test('a model trained where low mirror value ratios were irregular uses the ratio', () => {
  // half the imports matched: those declared under 60% of the export's value were found irregular
  const rows = train.map((r, i): Labelled => {
    if (r.declaration.type !== 'IM' || i % 2 === 1) return r;
    const ratio = 0.3 + ((i * 7919) % 100) / 100;
    return { ...r, fraud: ratio < 0.6 ? 1 : r.fraud, extras: { mirrorValueRatio: ratio } };
  });
  const mirrored = trainRiskModel(rows, [], small);
  const gain = mirrored.fraud.featureImportance().find((f) => f.name === 'mirrorValueRatio')?.gain ?? 0;
  assert.ok(gain > 0);
  const mirrorAt = featureNames.indexOf('mirrorValueRatio');
  const imports = later.filter((r) => r.declaration.type === 'IM' && !r.fraud).slice(0, 50);
  assert.ok(imports.length === 50);
  for (const { declaration: d } of imports) {
    const low = mirrored.encoder.encode(d, { mirrorValueRatio: 0.35 });
    const none = mirrored.encoder.encode(d);
    assert.ok(Number.isNaN(none[mirrorAt]));
    assert.ok(mirrored.fraud.predict(low) > mirrored.fraud.predict(none), 'a low ratio raises the score');
    assert.ok((mirrored.fraud.contributions(low).values[mirrorAt] ?? 0) > 0);
  }
  // saved and loaded, it reads the ratio where it was
  const again = loadRiskModel(JSON.parse(JSON.stringify(serializeRiskModel(mirrored))));
  const d = imports[0]?.declaration;
  if (!d) throw new Error('no import');
  const row = again.encoder.encode(d, { mirrorValueRatio: 0.35 });
  assert.equal(again.fraud.predict(row), mirrored.fraud.predict(row));
  // as a version with the value ratio but before the other mirror figures stored it, it loads and
  // scores the same with them given, and gives them no contribution
  const before = withoutLastFeature(
    JSON.parse(JSON.stringify(serializeRiskModel(mirrored))) as Record<string, unknown>,
    rows,
    appendedNames.length - 1,
  );
  const older = loadRiskModel(before.json);
  const width = featureNames.length - appendedNames.length + 1;
  for (const { declaration } of imports.slice(0, 20)) {
    const valueOnly = mirrored.encoder.encode(declaration, { mirrorValueRatio: 0.35 }).slice(0, width);
    const all = older.encoder.encode(declaration, {
      mirrorValueRatio: 0.35,
      mirrorQuantityRatio: 0.2,
      mirrorMassRatio: 4,
      mirrorHsMismatch: 1,
      mirrorOriginMismatch: 1,
    });
    assert.equal(older.fraud.predict(all), before.fraud.predict(valueOnly));
    const { values } = older.fraud.contributions(all);
    assert.ok((values[mirrorAt] ?? 0) > 0);
    for (const name of appendedNames.slice(1)) assert.equal(values[featureNames.indexOf(name)], 0, name);
  }
});

const corrupt: [string, (json: Record<string, unknown>) => unknown, RegExp][] = [
  ['another format', (j) => ({ ...j, format: 'xgboost' }), /not a Clearway risk model/],
  ['another version', (j) => ({ ...j, version: 99 }), /version 99 is not supported/],
  ['other features', (j) => ({ ...j, features: ['a', 'b'] }), /trained on other features/],
  ['a missing encoder', (j) => ({ ...j, encoder: null }), /feature encoder is missing/],
  [
    'a broken tree model',
    (j) => ({ ...j, fraud: { format: 'clearway-gbdt' } }),
    /unsupported gbdt model version undefined/,
  ],
  ['not an object', () => 'model', /not a Clearway risk model/],
];
for (const [name, spoil, message] of corrupt) {
  test(`refuses a model file with ${name}`, () => {
    const json = JSON.parse(JSON.stringify(serializeRiskModel(model))) as Record<string, unknown>;
    assert.throws(() => loadRiskModel(spoil(json)), message);
  });
}

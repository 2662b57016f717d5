import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { FeatureEncoder, featureNames, weekday, type Labelled, type SerializedEncoder } from './features.ts';

function labelled(
  i: number,
  trader: string,
  fraud: number,
  date = `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`,
): Labelled {
  const declaration: DeclarationInput = {
    type: 'IM',
    functionalReference: `R${i}`,
    date,
    office: '30',
    declarant: 'D1',
    trader,
    currency: 'KRW',
    items: [{ sequence: 1, hsCode: '610910', value: 1000 + i, netMass: 10, dutyRate: 8 }],
  };
  return { declaration, fraud, critical: 0 };
}

const column = (data: { names: string[]; columns: Float64Array[] }, name: string) => {
  const at = data.names.indexOf(name);
  const values = data.columns[at];
  if (!values) throw new Error(`no column ${name}`);
  return values;
};

test('a training row never sees its own label: the trader rate comes from earlier declarations only', () => {
  const rows = [
    labelled(0, 'T', 1, '2020-01-01'),
    labelled(1, 'T', 1, '2020-01-02'),
    labelled(2, 'T', 0, '2020-01-03'),
  ];
  const { data } = FeatureEncoder.fit(rows);
  const rate = column(data, 'trader:rate');
  const count = column(data, 'trader:count');
  assert.deepEqual(
    [...count].map((c) => Math.round(Math.expm1(c))),
    [0, 1, 2],
  );
  // the first row has no history: the prior; the second has seen one fraud
  const prior = 2 / 3;
  assert.ok(Math.abs((rate[0] ?? 0) - prior) < 1e-12);
  assert.ok((rate[1] ?? 0) > prior);
});

test('flipping a row label changes the trader rate of later rows, never of the row itself', () => {
  // traders alternate; labels 1 on every third row; two per day, so time order is index order
  const rows = Array.from({ length: 40 }, (_, i) =>
    labelled(
      i,
      i % 2 ? 'A' : 'B',
      i % 3 === 0 ? 1 : 0,
      `2020-02-${String(1 + Math.floor(i / 2)).padStart(2, '0')}`,
    ),
  );
  // flip row 10 (trader B, 0 -> 1) and row 3 (trader A, 1 -> 0): the global rate stays the same
  const flipped = rows.map((r, i) => (i === 10 || i === 3 ? { ...r, fraud: 1 - r.fraud } : r));
  const before = column(FeatureEncoder.fit(rows).data, 'trader:rate');
  const after = column(FeatureEncoder.fit(flipped).data, 'trader:rate');
  assert.equal(after[10], before[10]);
  assert.ok((after[12] ?? 0) > (before[12] ?? 0), 'the next declaration of trader B sees one more fraud');
});

test('scoring uses every training declaration, and unknown categories get the prior', () => {
  const rows = Array.from({ length: 20 }, (_, i) => labelled(i, i < 10 ? 'RISKY' : 'CLEAN', i < 10 ? 1 : 0));
  const { encoder } = FeatureEncoder.fit(rows);
  const at = featureNames.indexOf('trader:rate');
  const risky = encoder.encode(labelled(99, 'RISKY', 0).declaration)[at] ?? 0;
  const clean = encoder.encode(labelled(99, 'CLEAN', 0).declaration)[at] ?? 0;
  const unknown = encoder.encode(labelled(99, 'NEW', 0).declaration)[at] ?? 0;
  assert.ok(risky > unknown && unknown > clean, `${risky} > ${unknown} > ${clean}`);
  assert.ok(Math.abs(unknown - 0.5) < 1e-12);
});

test('an encoder survives a JSON round trip', () => {
  const rows = Array.from({ length: 30 }, (_, i) => labelled(i, `T${i % 4}`, i % 5 === 0 ? 1 : 0));
  const { encoder } = FeatureEncoder.fit(rows);
  const again = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(encoder.toJSON())) as SerializedEncoder);
  const d = labelled(7, 'T3', 0).declaration;
  assert.deepEqual([...again.encode(d)], [...encoder.encode(d)]);
});

test('weekdays are computed without time zones', () => {
  for (const date of ['2020-01-01', '2020-02-29', '2021-03-01', '2024-12-31', '2026-11-25']) {
    assert.equal(weekday(date), new Date(`${date}T00:00:00Z`).getUTCDay(), date);
  }
});

test("the mirror figures and the descriptions' agreement come from the row extras, before the codes, NaN when not given; nothing else moves", () => {
  const extraNames = [
    'mirrorValueRatio',
    'mirrorQuantityRatio',
    'mirrorMassRatio',
    'mirrorHsMismatch',
    'mirrorOriginMismatch',
    'descriptionAgreement',
    'documentDiscrepancies',
  ] as const;
  const extrasAt = featureNames.indexOf('mirrorValueRatio');
  assert.deepEqual(featureNames.slice(extrasAt, extrasAt + extraNames.length), extraNames);
  assert.ok(featureNames.slice(extrasAt + extraNames.length).every((name) => name.endsWith(':code')));
  const extrasOf = (i: number) => ({
    mirrorValueRatio: i / 10,
    mirrorQuantityRatio: i / 20,
    mirrorMassRatio: 1 + i / 40,
    mirrorHsMismatch: i % 4 === 0 ? 1 : 0,
    mirrorOriginMismatch: i % 3 === 0 ? 1 : 0,
    descriptionAgreement: i / 30,
    documentDiscrepancies: i % 5,
  });
  const rows = Array.from({ length: 30 }, (_, i) => ({
    ...labelled(i, `T${i % 4}`, i % 5 === 0 ? 1 : 0),
    ...(i % 2 === 0 ? { extras: extrasOf(i) } : {}),
  }));
  const { encoder, data } = FeatureEncoder.fit(rows);
  for (const name of extraNames) {
    const values = column(data, name);
    rows.forEach((_, i) =>
      assert.ok(
        Object.is(values[i], i % 2 === 0 ? extrasOf(i)[name] : NaN),
        `${name}, row ${i}: ${values[i]}`,
      ),
    );
  }
  const d = labelled(7, 'T3', 0).declaration;
  const plain = encoder.encode(d);
  const given = {
    mirrorValueRatio: 0.4,
    mirrorQuantityRatio: 0.5,
    mirrorMassRatio: 2,
    mirrorHsMismatch: 1,
    mirrorOriginMismatch: 0,
    descriptionAgreement: 0.25,
    documentDiscrepancies: 2,
  };
  const matched = encoder.encode(d, given);
  for (const name of extraNames) {
    assert.ok(Number.isNaN(plain[featureNames.indexOf(name)]), name);
    assert.equal(matched[featureNames.indexOf(name)], given[name], name);
  }
  // only the value ratio given: the others NaN
  const valueOnly = encoder.encode(d, { mirrorValueRatio: 0.4 });
  assert.deepEqual(
    extraNames.map((name) => valueOnly[featureNames.indexOf(name)]),
    [0.4, NaN, NaN, NaN, NaN, NaN, NaN],
  );
  const outsideExtras = (row: Float64Array) =>
    [...row].filter((_, f) => f < extrasAt || f >= extrasAt + extraNames.length);
  assert.deepEqual(outsideExtras(matched), outsideExtras(plain));
  const many = encoder.encodeMany([d, d], [undefined, given]);
  assert.deepEqual(
    featureNames.map((_, f) => many.columns[f]?.[1]),
    [...matched],
  );
  for (const name of extraNames) assert.ok(Number.isNaN(column(many, name)[0]), name);
});

test('a field of few values gets a code by its rate of irregularities, the same in training and scoring; a rare value none', () => {
  // office A: 40 declarations, a quarter irregular; office B: 40, none; office C: 5, all irregular
  const rows = Array.from({ length: 85 }, (_, i) => {
    const office = i < 40 ? 'A' : i < 80 ? 'B' : 'C';
    const row = labelled(i, `T${i % 7}`, (office === 'A' && i % 4 === 0) || office === 'C' ? 1 : 0);
    return { ...row, declaration: { ...row.declaration, office } };
  });
  const { encoder, data } = FeatureEncoder.fit(rows);
  const codes = column(data, 'office:code');
  assert.equal(codes[0], 1);
  assert.equal(codes[40], 0);
  assert.ok(Number.isNaN(codes[84]));
  const d = rows[0]?.declaration;
  if (!d) throw new Error('no rows');
  const at = featureNames.indexOf('office:code');
  assert.equal(encoder.encode(d)[at], 1);
  assert.equal(encoder.encode({ ...d, office: 'B' })[at], 0);
  assert.ok(Number.isNaN(encoder.encode({ ...d, office: 'Z' })[at]));
  // read back from its file, the encoder gives the same codes
  const again = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(encoder.toJSON())) as SerializedEncoder);
  assert.equal(again.encode(d)[at], 1);
});

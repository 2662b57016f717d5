import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDeclarations } from '../demo/generate.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { compileProfile } from './profiles/evaluate.ts';
import type { Indicators } from './profiles/fields.ts';
import { parseProfile } from './profiles/profile.ts';
import { trainRiskModel } from './risk-model.ts';
import { scoreAnomalies, scoreModel, scoreProfiles, scoreUnitValues } from './scorers.ts';

const d: DeclarationInput = {
  type: 'IM',
  functionalReference: 'R',
  date: '2026-03-02',
  office: '040',
  declarant: 'B',
  trader: 'T1',
  currency: 'USD',
  items: [
    { sequence: 1, hsCode: '610910', value: 100, netMass: 10 },
    { sequence: 2, hsCode: '851713', value: 5000, netMass: 10 },
  ],
};
const x: Indicators = {
  unitValueRatio: [0.1, 1.2],
  unitValueBand: [
    { low: 40, high: 300, setByAnalyst: { low: false, high: false }, level: 'hs6' },
    { low: 100, high: 1000, setByAnalyst: { low: false, high: false }, level: 'hs6' },
  ],
  firstUseOfHs: [true, false],
  firstUseOfOrigin: [false, false],
  traderDeclarations: 2,
  traderHitRate: NaN,
};

function profile(code: string, lane: string, weight: number, conditions: unknown[]) {
  const parsed = parseProfile({
    code,
    name: code,
    lane,
    weight,
    reason: `${code} reason`,
    validFrom: '2026-01-01',
    conditions,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { ...compileProfile(parsed.value), version: 3 };
}

test('profiles score by their heaviest hit and route to the strictest lane among hits', () => {
  const out = scoreProfiles(
    [
      profile('NEW-HS', 'yellow', 30, [{ field: 'indicator.firstUseOfHs', op: 'eq', value: true }]),
      profile('CHEAP', 'red', 70, [{ field: 'indicator.unitValueRatio', op: 'lt', value: 0.33 }]),
      profile('OTHER', 'red', 90, [{ field: 'trader', op: 'eq', value: 'T9' }]),
    ],
    d,
    x,
    '2026-03-02',
  );
  assert.deepEqual([out.score, out.lane, out.version], [0.7, 'red', 'NEW-HS@3,CHEAP@3,OTHER@3']);
  assert.deepEqual(
    out.reasons.map((r) => (r.kind === 'rule' ? r.code : '')),
    ['NEW-HS', 'CHEAP'],
  );
});

test('no hit gives no risk and no lane', () => {
  const out = scoreProfiles(
    [profile('OTHER', 'red', 90, [{ field: 'trader', op: 'eq', value: 'T9' }])],
    d,
    x,
    '2026-03-02',
  );
  assert.deepEqual([out.score, out.lane, out.reasons], [0, undefined, []]);
});

test('a unit value below the published band is an anomaly named by item, with the band it fell outside', () => {
  const out = scoreUnitValues(d, x);
  // 10 per kg is a factor 4 below the low bound of 40
  assert.ok(Math.abs(out.score - (0.25 + Math.log10(4) / 2)) < 1e-12, `score ${out.score}`);
  assert.deepEqual(
    out.reasons.map((r) => (r.kind === 'anomaly' ? r.text : '')),
    [
      'item 1 (HS 610910): unit value 10.0 USD/kg is below the band 40.0 to 300 (the reference over every origin)',
    ],
  );
  // where to find the reference the unit value was compared with, to draw it
  assert.deepEqual(out.reasons[0]?.kind === 'anomaly' ? out.reasons[0].price : undefined, {
    item: 1,
    hs6: '610910',
    currency: 'USD',
    unitValue: 10,
    ratio: 0.1,
    low: 40,
    high: 300,
  });
  assert.equal(scoreUnitValues(d, { ...x, unitValueBand: [undefined, x.unitValueBand[1]] }).score, 0);
});

/** HS 630231 from CN in USD: the published band, and an analyst's bounds of 5 to 20 per kg. */
const published = {
  low: 2.436,
  high: 34.82,
  setByAnalyst: { low: false, high: false },
  level: 'origin',
} as const;
const bounded = { low: 5, high: 20, setByAnalyst: { low: true, high: true }, level: 'origin' } as const;
const bandCases: [string, number, typeof published | typeof bounded, 'below' | 'above' | undefined][] = [
  ['inside the published band, near its low end', 2.9, published, undefined],
  ['inside the published band, near its high end', 32.2, published, undefined],
  ['below the published band', 2.4, published, 'below'],
  ['above the published band', 35, published, 'above'],
  ["below an analyst's bounds, though inside the published band", 4.0, bounded, 'below'],
  ["above an analyst's bounds, though inside the published band", 25.0, bounded, 'above'],
  ["inside an analyst's bounds", 12, bounded, undefined],
];
for (const [name, unitValue, band, side] of bandCases) {
  test(`a unit value of ${unitValue} per kg ${name} is ${side ? 'an anomaly' : 'no anomaly'}`, () => {
    const cn: DeclarationInput = {
      ...d,
      originCountry: 'CN',
      items: [{ sequence: 1, hsCode: '630231', value: unitValue * 100, netMass: 100 }],
    };
    const out = scoreUnitValues(cn, { ...x, unitValueRatio: [unitValue / 9.2], unitValueBand: [band] });
    assert.equal(out.reasons.length, side ? 1 : 0);
    assert.equal(out.score > 0, side !== undefined);
    if (side)
      assert.match(
        out.reasons[0]?.kind === 'anomaly' ? out.reasons[0].text : '',
        new RegExp(
          `is ${side} the band .*\\((${band.setByAnalyst.low ? "a risk analyst's bound" : 'the reference for origin CN'})\\)`,
        ),
      );
  });
}

const labelled = [
  ...generateDeclarations({ count: 3000, seed: 3, from: '2025-01-01', to: '2025-12-31' }),
].map(({ input, label }) => ({
  declaration: input,
  fraud: label.outcome === 'non_compliant' ? 1 : 0,
  critical: 0,
}));
const model = trainRiskModel(labelled, [], { trees: 30, learningRate: 0.2, maxLeaves: 15 });

test('the model score is explained by its largest contributions, which add up with the base and the rest', () => {
  for (const { declaration } of labelled.slice(0, 200)) {
    const row = model.encoder.encode(declaration);
    const out = scoreModel(model, 12, row);
    assert.equal(out.version, '12');
    assert.ok(out.score > 0 && out.score < 1);
    const factors = out.reasons.flatMap((r) => (r.kind === 'factor' ? [r.contribution] : []));
    const explanations = out.reasons.flatMap((r) => (r.kind === 'explanation' ? [r] : []));
    assert.ok(factors.length > 0 && factors.length <= 5);
    const sizes = factors.map(Math.abs);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
    );
    assert.equal(explanations.length, 1);
    const [e] = explanations;
    if (!e) throw new Error('no explanation');
    assert.equal(e.unit, 'log-odds');
    const added = factors.reduce((sum, c) => sum + c, e.base + e.others);
    // the model's score from its trees' predictions, not from the contributions
    const raw = model.fraud.predictRaw(row);
    assert.ok(Math.abs(added - raw) < 1e-9, `${added} vs ${raw}`);
    assert.ok(Math.abs(e.total - raw) < 1e-9);
    assert.ok(Math.abs(e.probability - out.score) < 1e-12);
    assert.ok(Math.abs(1 / (1 + Math.exp(-raw)) - out.score) < 1e-9);
  }
});

test('the isolation forest flags a declaration unlike the training population and names what isolated it', () => {
  const first = labelled[0];
  if (!first) throw new Error('no generated declarations');
  const ordinary = scoreAnomalies(model, 12, first.declaration, model.encoder.encode(first.declaration));
  assert.equal(ordinary.version, 'isolation-forest@12');
  assert.deepEqual([ordinary.score, ordinary.reasons], [0, []]);
  const odd = structuredClone(first.declaration);
  odd.trader = 'NEVER-SEEN';
  odd.items = odd.items.map((item) => ({ ...item, value: item.value * 5000, netMass: 0.001 }));
  const out = scoreAnomalies(model, 12, odd, model.encoder.encode(odd));
  assert.ok(out.score > 0 && out.score <= 0.5, `score ${out.score}`);
  const reason = out.reasons[0];
  assert.equal(reason?.kind, 'anomaly');
  assert.match(reason.kind === 'anomaly' ? reason.text : '', /isolation score 0\.\d\d\), mostly by \w+/);
});

test('a jump in a known trader’s declared value is an anomaly named by its feature', () => {
  const counts = new Map<string, number>();
  for (const r of labelled) counts.set(r.declaration.trader, (counts.get(r.declaration.trader) ?? 0) + 1);
  const regular = labelled.find((r) => (counts.get(r.declaration.trader) ?? 0) > 20);
  if (!regular) throw new Error('no trader with a history');
  const jump = structuredClone(regular.declaration);
  jump.items = jump.items.map((item) => ({ ...item, value: item.value * 10_000 }));
  const out = scoreAnomalies(model, 12, jump, model.encoder.encode(jump));
  assert.ok(out.score > 0, `score ${out.score}`);
  const reason = out.reasons[0];
  assert.match(reason?.kind === 'anomaly' ? reason.text : '', /valueJump|logValue|logUnitValue/);
});

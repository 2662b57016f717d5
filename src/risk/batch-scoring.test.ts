import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDeclarations } from '../demo/generate.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { runScorers, type ActiveRisk } from './assessment.ts';
import { runScorersMany } from './batch-scoring.ts';
import { compileProfile } from './profiles/evaluate.ts';
import type { Indicators } from './profiles/fields.ts';
import { parseProfile } from './profiles/profile.ts';
import { trainRiskModel } from './risk-model.ts';

const generated = [...generateDeclarations({ count: 6000, seed: 8, from: '2025-01-01', to: '2025-12-31' })];
/** A mirror value ratio for one import in three (irregular under 0.6), none for the others. */
const ratioOf = (d: DeclarationInput, n: number) =>
  d.type === 'IM' && n % 3 === 0 ? 0.3 + (n % 90) / 100 : NaN;

const labelled = generated.slice(0, 3000).map(({ input, label }, n) => {
  const ratio = ratioOf(input, n);
  return {
    declaration: input,
    fraud: label.outcome === 'non_compliant' || ratio < 0.6 ? 1 : 0,
    critical: label.irregularity && label.outcome === 'non_compliant' ? 1 : 0,
    extras: { mirrorValueRatio: ratio },
  };
});

function profile(code: string, lane: string, conditions: unknown[]) {
  const parsed = parseProfile({
    code,
    name: code,
    lane,
    weight: 60,
    reason: `${code} reason`,
    validFrom: '2020-01-01',
    conditions,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { ...compileProfile(parsed.value), id: 1, version: 2 };
}

const profiles = [
  profile('NEW-HS', 'blue', [{ field: 'indicator.firstUseOfHs', op: 'eq', value: true }]),
  profile('HIGH-DUTY', 'yellow', [{ field: 'item.dutyRate', op: 'gte', value: 10 }]),
];

/** Indicators of every kind, varied from one declaration to the next. */
function indicatorsOf(d: DeclarationInput, n: number): Indicators {
  const band = {
    low: 5,
    high: 50,
    setByAnalyst: { low: n % 7 === 0, high: false },
    level: 'origin',
  } as const;
  return {
    unitValueRatio: d.items.map((_, i) => (n + i) / 97),
    unitValueBand: d.items.map((_, i) => ((n + i) % 3 === 0 ? undefined : band)),
    firstUseOfHs: d.items.map((_, i) => (n + i) % 5 === 0),
    firstUseOfOrigin: d.items.map((_, i) => (n + i) % 4 === 0),
    traderDeclarations: n % 11,
    traderHitRate: n % 9 === 0 ? NaN : (n % 10) / 10,
    ...(Number.isNaN(ratioOf(d, n))
      ? {}
      : {
          mirror: {
            valueRatio: ratioOf(d, n),
            hsMismatch: d.items.map(() => false),
            originMismatch: d.items.map(() => false),
            quantityRatio: d.items.map(() => NaN),
            massRatio: d.items.map(() => NaN),
            findings: [],
          },
        }),
  };
}

const list = generated
  .slice(3000)
  .map(({ input }, n) => ({ input, x: indicatorsOf(input, n), day: input.date }));

for (const [name, shape] of [
  ['shallow enough for the kernel', { maxDepth: 8, maxLeaves: 31 }],
  ['too deep for the kernel', { maxDepth: 12, maxLeaves: 64 }],
] as const) {
  test(`scoring many declarations at once gives what scoring each gives, reasons and mirror ratios included (trees ${name})`, () => {
    const model = trainRiskModel(labelled, [], {
      trees: 40,
      learningRate: 0.2,
      minSamplesLeaf: 10,
      ...shape,
    });
    const active: ActiveRisk = { profiles, model: { id: 7, model } };
    const many = runScorersMany(active, list);
    const one = list.map(({ input, x, day }) => runScorers(active, input, x, day));
    assert.deepStrictEqual(many, one);
    // every kind of reason was compared
    const kinds = new Set(many.flatMap((s) => s.outputs.flatMap((o) => o.reasons.map((r) => r.kind))));
    assert.deepEqual([...kinds].sort(), ['anomaly', 'explanation', 'factor', 'rule']);
    const detectors = many.flatMap((s) =>
      s.outputs.flatMap((o) => o.reasons.flatMap((r) => (r.kind === 'anomaly' ? [r.detector] : []))),
    );
    assert.ok(detectors.includes('isolation-forest') && detectors.includes('price-reference'));
    // the mirror value ratio reached the model on both paths
    const mirrorFactors = many.flatMap((s) =>
      s.outputs.flatMap((o) =>
        o.reasons.filter((r) => r.kind === 'factor' && r.feature === 'mirrorValueRatio'),
      ),
    );
    assert.ok(mirrorFactors.length > 100, `${mirrorFactors.length} mirror factors`);
  });
}

test('without a model, the profiles and the price reference score alone', () => {
  const active: ActiveRisk = { profiles, model: null };
  const many = runScorersMany(active, list.slice(0, 200));
  assert.deepStrictEqual(
    many,
    list.slice(0, 200).map(({ input, x, day }) => runScorers(active, input, x, day)),
  );
  assert.ok(many.every((s, i) => s.critical === null && s.outputs.length === (list[i]?.x.mirror ? 3 : 2)));
  assert.deepStrictEqual(runScorersMany(active, []), []);
});

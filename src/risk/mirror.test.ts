/** Mirror analysis in assessment: matches as indicators, the mirror scorer, and the profile fields on them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { importSide } from '../exchange/matching.ts';
import { defaultMirrorSettings, mirrorGaps, type MirrorSide } from '../exchange/mirror.ts';
import { aDeclaration, anItem } from '../testing/harness.ts';
import { featureNames, FeatureEncoder } from './features.ts';
import { mirrorIndicatorsOf, rowExtrasOf, scoreMirror } from './mirror.ts';
import { compileProfile, evaluateProfile } from './profiles/evaluate.ts';
import type { Indicators } from './profiles/fields.ts';
import { parseProfile } from './profiles/profile.ts';
import { combine } from './selectivity.ts';

const declaration = aDeclaration({
  items: [anItem({ sequence: 1 }), anItem({ sequence: 2, hsCode: '61091000' })],
}) as unknown as DeclarationInput;

const valueGap = (ratio: number, beyond: boolean) => ({
  kind: 'value' as const,
  item: null,
  importFigure: 1000,
  exportFigure: 3000,
  ratio,
  threshold: 0.7,
  beyond,
  text: 'customs value 1000 USD on the import against 3000 USD on the export',
});
const hsGap = {
  kind: 'hs' as const,
  item: 2,
  importFigure: '610910',
  exportFigure: '620520',
  ratio: null,
  threshold: null,
  beyond: true,
  text: 'item 2: HS 610910 on the import, 620520 on the export',
};
const row = (gaps: unknown[], valueRatio: number | null, sender = 'NL') => ({
  declaration_id: 1,
  sender,
  message_id: '00000000-0000-0000-0000-000000000001',
  value_ratio: valueRatio,
  gaps: gaps as Parameters<typeof mirrorIndicatorsOf>[1][number]['gaps'],
});

const indicators = (mirror: Indicators['mirror']): Indicators => ({
  unitValueRatio: [NaN, NaN],
  unitValueBand: [undefined, undefined],
  firstUseOfHs: [false, false],
  firstUseOfOrigin: [false, false],
  traderDeclarations: 3,
  traderHitRate: NaN,
  ...(mirror ? { mirror } : {}),
});

function profile(conditions: unknown[]) {
  const parsed = parseProfile({
    name: 'mirror',
    code: 'MIRROR',
    lane: 'red',
    weight: 80,
    reason: 'mirror',
    validFrom: '2020-01-01',
    conditions,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return compileProfile(parsed.value);
}

describe('mirror in assessment', () => {
  test('an import without a match has no mirror indicators and no mirror output', () => {
    assert.equal(mirrorIndicatorsOf(declaration, []), undefined);
    assert.equal(scoreMirror(undefined), undefined);
  });

  test('a value finding is a mirror reason with both figures and demands the yellow lane', () => {
    const m = mirrorIndicatorsOf(declaration, [row([valueGap(0.3, true)], 0.3)]);
    const out = scoreMirror(m);
    assert.ok(out);
    assert.equal(out.lane, 'yellow');
    const [reason] = out.reasons;
    assert.equal(reason?.kind, 'mirror');
    assert.match(JSON.stringify(reason), /1000 USD on the import against 3000 USD on the export/);
    assert.equal(combine([out]).lane, 'yellow');
  });

  test('a match without findings scores nothing and demands no lane', () => {
    const out = scoreMirror(mirrorIndicatorsOf(declaration, [row([valueGap(0.95, false)], 0.95)]));
    assert.deepEqual([out?.score, out?.lane, out?.reasons.length], [0, undefined, 0]);
  });

  test('the value ratio is the lowest over the matches; HS mismatches are per item', () => {
    const m = mirrorIndicatorsOf(declaration, [
      row([valueGap(0.9, false)], 0.9),
      row([valueGap(0.4, true), hsGap], 0.4, 'KR'),
    ]);
    assert.equal(m?.valueRatio, 0.4);
    assert.deepEqual(m?.hsMismatch, [false, true]);
    assert.deepEqual(m?.originMismatch, [false, false]);
    assert.deepEqual(
      m?.findings.map((f) => [f.partner, f.gap]),
      [
        ['KR', 'value'],
        ['KR', 'hs'],
      ],
    );
  });

  test('rule profiles test the mirror fields', () => {
    const m = mirrorIndicatorsOf(declaration, [row([valueGap(0.4, true), hsGap], 0.4)]);
    const low = profile([{ field: 'indicator.mirrorValueRatio', op: 'lt', value: 0.5 }]);
    const matched = profile([{ field: 'indicator.mirrorMatched', op: 'eq', value: true }]);
    const hs = profile([{ field: 'indicator.mirrorHsMismatch', op: 'eq', value: true }]);
    const origin = profile([{ field: 'indicator.mirrorOriginMismatch', op: 'eq', value: true }]);
    const x = indicators(m);
    assert.ok(evaluateProfile(low, declaration, x, '2026-03-02'));
    assert.ok(evaluateProfile(matched, declaration, x, '2026-03-02'));
    assert.deepEqual(evaluateProfile(hs, declaration, x, '2026-03-02')?.items, [1]);
    assert.equal(evaluateProfile(origin, declaration, x, '2026-03-02'), null);
    // without a match: not matched, and no ratio to compare
    assert.equal(evaluateProfile(low, declaration, indicators(undefined), '2026-03-02'), null);
    assert.equal(evaluateProfile(matched, declaration, indicators(undefined), '2026-03-02'), null);
  });

  /** The import's gaps against an export like it, changed as given, as matching computes and stores them. */
  const matchedTo = (change: (side: MirrorSide) => MirrorSide) => {
    const side = importSide(declaration);
    const exp = change(side);
    const gaps = mirrorGaps(side, exp, defaultMirrorSettings);
    const value = gaps.find((g) => g.kind === 'value')?.ratio ?? null;
    return mirrorIndicatorsOf(declaration, [row(JSON.parse(JSON.stringify(gaps)) as unknown[], value)]);
  };
  const withItem = (at: number, patch: Record<string, unknown>) => (side: MirrorSide) => ({
    ...side,
    items: side.items.map((it, k) => (k === at ? { ...it, ...patch } : it)),
  });

  test('rule profiles test the quantity and mass ratios per item: a gap hits its item, a match without one does not', () => {
    // the import declares 40 units and 12.5 kg on each item: the export has 80 units of item 1, 25 kg of item 2
    const short = matchedTo((side) => withItem(1, { netMass: 25 })(withItem(0, { quantity: 80 })(side)));
    assert.deepEqual(short?.quantityRatio, [0.5, 1]);
    assert.deepEqual(short?.massRatio, [1, 0.5]);
    assert.deepEqual(
      short?.findings.map((f) => [f.gap, f.item, f.importFigure, f.exportFigure]),
      [
        ['quantity', 1, 40, 80],
        ['mass', 2, 12.5, 25],
      ],
    );
    const alike = matchedTo((side) => side);
    assert.deepEqual(
      [alike?.quantityRatio, alike?.massRatio],
      [
        [1, 1],
        [1, 1],
      ],
    );
    const quantity = profile([{ field: 'indicator.mirrorQuantityRatio', op: 'lt', value: 0.8 }]);
    const mass = profile([{ field: 'indicator.mirrorMassRatio', op: 'lt', value: 0.8 }]);
    const massHigh = profile([{ field: 'indicator.mirrorMassRatio', op: 'gt', value: 1.2 }]);
    assert.deepEqual(evaluateProfile(quantity, declaration, indicators(short), '2026-03-02')?.items, [0]);
    assert.deepEqual(evaluateProfile(mass, declaration, indicators(short), '2026-03-02')?.items, [1]);
    assert.equal(evaluateProfile(massHigh, declaration, indicators(short), '2026-03-02'), null);
    for (const p of [quantity, mass]) {
      assert.equal(evaluateProfile(p, declaration, indicators(alike), '2026-03-02'), null);
      assert.equal(evaluateProfile(p, declaration, indicators(undefined), '2026-03-02'), null);
    }
    // the import over the export: 2 × the mass on item 1
    const over = matchedTo(withItem(0, { netMass: 6.25 }));
    assert.deepEqual(evaluateProfile(massHigh, declaration, indicators(over), '2026-03-02')?.items, [0]);
  });

  test("the model's extras carry the mirror figures: quantity and mass ratios farthest from 1, mismatches as 1 or 0", () => {
    const short = matchedTo((side) =>
      withItem(1, { netMass: 25, hsCode: '62052000' })(withItem(0, { quantity: 80, netMass: 10 })(side)),
    );
    const extras = rowExtrasOf(short);
    assert.equal(extras.mirrorQuantityRatio, 0.5);
    // item 1 is at 125% of the export's mass, item 2 at 50%: 50% is the farther from 1
    assert.equal(extras.mirrorMassRatio, 0.5);
    assert.equal(extras.mirrorHsMismatch, 1);
    assert.equal(extras.mirrorOriginMismatch, 0);
    const origin = rowExtrasOf(matchedTo(withItem(0, { originCountry: 'VN' })));
    assert.deepEqual([origin.mirrorHsMismatch, origin.mirrorOriginMismatch], [0, 1]);
    assert.equal(origin.mirrorQuantityRatio, 1);
    const none = rowExtrasOf(undefined);
    for (const v of Object.values(none)) assert.ok(Number.isNaN(v));

    // the feature row holds them at their names' positions, NaN without a match
    const { encoder } = FeatureEncoder.fit([{ declaration, fraud: 0, critical: 0 }]);
    const row = encoder.encode(declaration, extras);
    const at = (name: string) => row[featureNames.indexOf(name)];
    assert.deepEqual(
      ['mirrorQuantityRatio', 'mirrorMassRatio', 'mirrorHsMismatch', 'mirrorOriginMismatch'].map(at),
      [0.5, 0.5, 1, 0],
    );
    assert.equal(at('mirrorValueRatio'), extras.mirrorValueRatio);
    const unmatched = encoder.encode(declaration, rowExtrasOf(undefined));
    for (const name of ['mirrorQuantityRatio', 'mirrorMassRatio', 'mirrorHsMismatch', 'mirrorOriginMismatch'])
      assert.ok(Number.isNaN(unmatched[featureNames.indexOf(name)]), name);
  });
});

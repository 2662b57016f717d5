/** Mirror analysis in assessment: matches as indicators, the mirror scorer, and the profile fields on them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { aDeclaration, anItem } from '../testing/harness.ts';
import { mirrorIndicatorsOf, scoreMirror } from './mirror.ts';
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
});

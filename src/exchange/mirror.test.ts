/** Mirror analysis as pure functions: the gaps of an import against its partner's export record. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  defaultMirrorSettings,
  mirrorFigures,
  mirrorGaps,
  itemRows,
  pairItems,
  type MirrorItem,
  type MirrorSide,
} from './mirror.ts';

const anItem = (overrides: Partial<MirrorItem> = {}): MirrorItem => ({
  sequence: 1,
  hsCode: '85171300',
  value: 1000,
  netMass: 100,
  quantity: 40,
  originCountry: 'NL',
  ...overrides,
});
const side = (items: MirrorItem[], currency = 'EUR'): MirrorSide => ({ currency, items });
const kinds = (gaps: { kind: string; beyond: boolean }[]) => gaps.filter((g) => g.beyond).map((g) => g.kind);

describe('mirror analysis', () => {
  test('an import at the export value plus freight has no finding', () => {
    const gaps = mirrorGaps(side([anItem({ value: 1080 })]), side([anItem()]));
    assert.deepEqual(kinds(gaps), []);
    const value = gaps.find((g) => g.kind === 'value');
    assert.ok(value && value.ratio !== null);
    assert.ok(Math.abs(value.ratio - 1080 / 1100) < 1e-9);
    assert.equal(value.threshold, defaultMirrorSettings.valueLow);
  });

  test('an import at a third of the export value is a value finding with both figures', () => {
    const gaps = mirrorGaps(side([anItem({ value: 1000 })]), side([anItem({ value: 3000 })]));
    const [value] = gaps;
    assert.equal(value?.kind, 'value');
    assert.equal(value?.beyond, true);
    assert.equal(value?.importFigure, 1000);
    assert.equal(value?.exportFigure, 3000);
    assert.ok(value?.ratio !== null && value?.ratio !== undefined && value.ratio < 0.31);
    assert.match(value?.text ?? '', /1000 EUR on the import against 3000 EUR on the export/);
  });

  test('a value far above the export and its margin is a finding too', () => {
    const gaps = mirrorGaps(side([anItem({ value: 5000 })]), side([anItem()]));
    assert.deepEqual(kinds(gaps), ['value']);
    assert.equal(gaps[0]?.threshold, defaultMirrorSettings.valueHigh);
  });

  test('values in two currencies are not comparable and not a finding', () => {
    const gaps = mirrorGaps(side([anItem({ value: 10 })], 'KRW'), side([anItem({ value: 3000 })], 'EUR'));
    const [value] = gaps;
    assert.equal(value?.beyond, false);
    assert.equal(value?.ratio, null);
    assert.match(value?.text ?? '', /not comparable \(KRW vs EUR, no rate\)/);
    assert.equal(mirrorFigures(side([], 'KRW'), side([], 'EUR'), gaps).comparable, false);
  });

  test('the margin and the bound are configurable', () => {
    const settings = { ...defaultMirrorSettings, margin: 0, valueLow: 0.95 };
    const gaps = mirrorGaps(side([anItem({ value: 900 })]), side([anItem()]), settings);
    assert.deepEqual(kinds(gaps), ['value']);
    assert.equal(gaps[0]?.ratio, 0.9);
  });

  test('quantity and mass beyond their tolerances are findings, within them not', () => {
    const gaps = mirrorGaps(
      side([anItem({ value: 1000, quantity: 20, netMass: 95 })]),
      side([anItem({ quantity: 40, netMass: 100 })]),
    );
    assert.deepEqual(kinds(gaps), ['quantity']);
    const mass = gaps.find((g) => g.kind === 'mass');
    assert.equal(mass?.beyond, false);
    assert.equal(mass?.ratio, 0.95);
  });

  test('another HS6 and another origin on a paired item are findings', () => {
    const gaps = mirrorGaps(
      side([anItem({ hsCode: '85176200', originCountry: 'CN' })]),
      side([anItem({ hsCode: '85171300', originCountry: 'NL' })]),
    );
    assert.deepEqual(kinds(gaps), ['hs', 'origin']);
    assert.match(
      gaps.find((g) => g.kind === 'hs')?.text ?? '',
      /HS 851762 on the import, 851713 on the export/,
    );
  });

  test('an HS difference beyond the sixth digit is no mismatch', () => {
    const gaps = mirrorGaps(side([anItem({ hsCode: '85171390' })]), side([anItem({ hsCode: '851713' })]));
    assert.deepEqual(kinds(gaps), []);
  });

  test('items pair by HS6 first, then in order', () => {
    const imp = [
      anItem({ sequence: 1, hsCode: '61091000' }),
      anItem({ sequence: 2, hsCode: '85171300' }),
      anItem({ sequence: 3, hsCode: '94036000' }),
    ];
    const exp = [anItem({ sequence: 1, hsCode: '85171300' }), anItem({ sequence: 2, hsCode: '42022200' })];
    const pairs = pairItems(imp, exp).map((p) => [p.imp.sequence, p.exp.sequence]);
    assert.deepEqual(pairs, [
      [2, 1],
      [1, 2],
    ]);
  });

  test('every item of both sides has a row: pairs in the import order, an item without a partner alone', () => {
    const item = (sequence: number, hsCode: string) => ({ sequence, hsCode });
    assert.deepEqual(
      itemRows(
        [item(1, '85171300'), item(2, '94036010'), item(3, '61091000')],
        [item(1, '940360'), item(2, '39269097'), item(3, '85171300')],
      ),
      [
        { importItem: 1, exportItem: 3 },
        { importItem: 2, exportItem: 1 },
        { importItem: 3, exportItem: 2 },
      ],
    );
    assert.deepEqual(itemRows([item(1, '85171300'), item(2, '94036010')], [item(1, '85171300')]), [
      { importItem: 1, exportItem: 1 },
      { importItem: 2, exportItem: null },
    ]);
    assert.deepEqual(itemRows([item(1, '85171300')], [item(1, '61091000'), item(2, '85171300')]), [
      { importItem: 1, exportItem: 2 },
      { importItem: null, exportItem: 1 },
    ]);
  });

  test('gaps name the import item number', () => {
    const gaps = mirrorGaps(
      side([anItem({ sequence: 1, hsCode: '61091000' }), anItem({ sequence: 2, originCountry: 'VN' })]),
      side([anItem()]),
    );
    const origin = gaps.find((g) => g.kind === 'origin');
    assert.equal(origin?.item, 2);
  });
});

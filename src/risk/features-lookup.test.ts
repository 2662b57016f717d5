import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import { FeatureEncoder, featureNames, type Labelled } from './features.ts';

/** The key of each category as `name: key`, joined pairs included: the statistics' own spelling. */
function keysOf(d: DeclarationInput): Record<string, string | undefined> {
  const main = d.items.reduce((best: GoodsItem | undefined, item) =>
    best === undefined || item.value > best.value ? item : best,
  ) as GoodsItem;
  const hs6 = main.hsCode.slice(0, 6);
  const origin = main.originCountry ?? d.originCountry;
  return {
    trader: d.trader,
    declarant: d.declarant,
    seller: d.seller,
    courier: d.courier,
    hs6,
    hs4: main.hsCode.slice(0, 4),
    hs2: main.hsCode.slice(0, 2),
    office: d.office,
    processingMode: d.processingMode,
    procedure: d.procedure,
    additionalProcedure: d.additionalProcedure,
    paymentMethod: d.paymentMethod,
    transportMode: d.transportMode,
    dutyTaxType: main.dutyTaxType,
    originIndicator: main.originIndicator,
    dispatchCountry: d.dispatchCountry,
    originCountry: origin,
    'trader×hs6': `${d.trader}|${hs6}`,
    'origin×hs6': `${origin}|${hs6}`,
    'declarant×trader': `${d.declarant}|${d.trader}`,
    'seller×trader': d.seller ? `${d.seller}|${d.trader}` : undefined,
  };
}

function declaration(
  i: number,
  fields: Partial<DeclarationInput>,
  item: Partial<GoodsItem> = {},
): DeclarationInput {
  return {
    type: 'IM',
    functionalReference: `R${i}`,
    date: `2021-03-${String(1 + (i % 28)).padStart(2, '0')}`,
    office: String(10 + (i % 3)),
    declarant: `D${i % 4}`,
    trader: `T${i % 5}`,
    currency: 'KRW',
    items: [{ sequence: 1, hsCode: `61091${i % 3}0000`, value: 1000 + i, netMass: 10, dutyRate: 8, ...item }],
    ...fields,
  };
}

/** Declarations whose values contain `|`, are empty, missing or short, so that joined keys split several ways. */
function trickyDeclarations(): DeclarationInput[] {
  return Array.from({ length: 120 }, (_, i) => {
    switch (i % 8) {
      case 0:
        return declaration(i, { trader: 'A|B', seller: 'S|1' }, { hsCode: '12|456789' });
      case 1:
        return declaration(i, { trader: 'A', seller: '' }, { hsCode: 'B|1245' });
      case 2:
        return declaration(i, { declarant: 'D|A', trader: 'B' }, { originCountry: 'CN' });
      case 3:
        return declaration(i, { originCountry: 'undefined' }, { hsCode: '12' });
      case 4:
        return declaration(i, { seller: 'S', courier: '' }, { originCountry: undefined });
      case 5:
        return declaration(i, { trader: '', seller: 'S|1|2' });
      default:
        return declaration(i, { seller: `S${i % 3}`, dispatchCountry: 'US' }, { dutyTaxType: 'A' });
    }
  });
}

test('scoring finds exactly the statistics training stored under each joined key', () => {
  const rows: Labelled[] = trickyDeclarations().map((d, i) => ({
    declaration: d,
    fraud: i % 3 === 0 ? 1 : 0,
    critical: 0,
  }));
  const { encoder } = FeatureEncoder.fit(rows);
  const json = encoder.toJSON();
  const prior = json.prior;
  const stats = new Map(
    json.categories.map((c) => [
      c.name,
      new Map(c.keys.map((k, j): [string, [number, number]] => [k, [c.sums[j] ?? 0, c.counts[j] ?? 0]])),
    ]),
  );
  const unseen = [
    declaration(500, { trader: 'A|B', seller: 'S' }),
    declaration(501, { trader: 'A', seller: '' }, { hsCode: '999999' }),
    declaration(502, { trader: 'NEW' }, { originCountry: undefined, hsCode: 'B|1245' }),
    // 'A|B' and '1245' join to the key of trader 'A' and HS code 'B|1245', seen in training
    declaration(503, { trader: 'A|B' }, { hsCode: '1245' }),
  ];
  for (const d of [...rows.map((r) => r.declaration), ...unseen]) {
    const row = encoder.encode(d);
    for (const [name, key] of Object.entries(keysOf(d))) {
      const [sum, count]: [number, number] =
        key === undefined ? [NaN, NaN] : (stats.get(name)?.get(key) ?? [0, 0]);
      const rate = (sum + 5 * prior) / (count + 5);
      assert.equal(row[featureNames.indexOf(`${name}:rate`)], rate, `${name} of ${String(key)}`);
      assert.equal(
        row[featureNames.indexOf(`${name}:count`)],
        Math.log1p(count),
        `${name} of ${String(key)}`,
      );
    }
  }
});

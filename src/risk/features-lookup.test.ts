import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import { FeatureEncoder, featureNames, type Labelled } from './features.ts';

/**
 * The values of each category in a declaration: one for a single category, two for a pair, none
 * (undefined) when the category is missing. Worked out here from the declaration, not from the
 * encoder's keys, so that the test holds whatever way the encoder spells them.
 */
function valuesOf(d: DeclarationInput): Record<string, (string | undefined)[] | undefined> {
  const main = d.items.reduce((best: GoodsItem | undefined, item) =>
    best === undefined || item.value > best.value ? item : best,
  ) as GoodsItem;
  const hs6 = main.hsCode.slice(0, 6);
  const origin = main.originCountry ?? d.originCountry;
  const single = (v: string | undefined) => (v === undefined ? undefined : [v]);
  return {
    trader: single(d.trader),
    declarant: single(d.declarant),
    seller: single(d.seller),
    courier: single(d.courier),
    hs6: single(hs6),
    hs4: single(main.hsCode.slice(0, 4)),
    hs2: single(main.hsCode.slice(0, 2)),
    office: single(d.office),
    processingMode: single(d.processingMode),
    procedure: single(d.procedure),
    additionalProcedure: single(d.additionalProcedure),
    paymentMethod: single(d.paymentMethod),
    transportMode: single(d.transportMode),
    dutyTaxType: single(main.dutyTaxType),
    originIndicator: single(main.originIndicator),
    dispatchCountry: single(d.dispatchCountry),
    originCountry: single(origin),
    'trader×hs6': [d.trader, hs6],
    'origin×hs6': [origin, hs6],
    'declarant×trader': [d.declarant, d.trader],
    'seller×trader': d.seller ? [d.seller, d.trader] : undefined,
  };
}

/** Label sums and counts by a path of values (a missing value is its own key, not "undefined"). */
class Tally {
  private readonly root = new Map<string | undefined, Tally>();
  private sum = 0;
  private count = 0;

  add(path: readonly (string | undefined)[], label: number): void {
    const [head, ...rest] = path;
    if (path.length === 0) {
      this.sum += label;
      this.count++;
      return;
    }
    let next = this.root.get(head);
    if (!next) this.root.set(head, (next = new Tally()));
    next.add(rest, label);
  }

  get(path: readonly (string | undefined)[]): { sum: number; count: number } {
    if (path.length === 0) return { sum: this.sum, count: this.count };
    const [head, ...rest] = path;
    return this.root.get(head)?.get(rest) ?? { sum: 0, count: 0 };
  }
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

test('scoring finds the statistics of exactly the values it was trained on, whatever they contain', () => {
  const rows: Labelled[] = trickyDeclarations().map((d, i) => ({
    declaration: d,
    fraud: i % 3 === 0 ? 1 : 0,
    critical: 0,
  }));
  const { encoder } = FeatureEncoder.fit(rows);
  const prior = rows.reduce((n, r) => n + r.fraud, 0) / rows.length;
  const tallies = new Map<string, Tally>();
  for (const { declaration: d, fraud } of rows) {
    for (const [name, values] of Object.entries(valuesOf(d))) {
      if (values === undefined) continue;
      let tally = tallies.get(name);
      if (!tally) tallies.set(name, (tally = new Tally()));
      tally.add(values, fraud);
    }
  }
  const unseen = [
    declaration(500, { trader: 'A|B', seller: 'S' }),
    declaration(501, { trader: 'A', seller: '' }, { hsCode: '999999' }),
    declaration(502, { trader: 'NEW' }, { originCountry: undefined, hsCode: 'B|1245' }),
    // trader 'A|B' with HS code '1245' was never seen, although trader 'A' with HS code 'B|1245' was
    declaration(503, { trader: 'A|B' }, { hsCode: '1245' }),
  ];
  const seenTimes = (name: string, d: DeclarationInput) =>
    Math.expm1(encoder.encode(d)[featureNames.indexOf(`${name}:count`)] ?? NaN);
  for (const d of [...rows.map((r) => r.declaration), ...unseen]) {
    const row = encoder.encode(d);
    for (const [name, values] of Object.entries(valuesOf(d))) {
      const { sum, count } =
        values === undefined
          ? { sum: NaN, count: NaN }
          : (tallies.get(name)?.get(values) ?? { sum: 0, count: 0 });
      const what = `${name} of ${JSON.stringify(values)}`;
      assert.equal(row[featureNames.indexOf(`${name}:rate`)], (sum + 5 * prior) / (count + 5), what);
      assert.equal(row[featureNames.indexOf(`${name}:count`)], Math.log1p(count), what);
    }
  }
  assert.equal(
    Math.round(seenTimes('trader×hs6', declaration(504, { trader: 'A' }, { hsCode: 'B|1245' }))),
    15,
    'trader A with HS B|1245: one declaration in eight of the training set',
  );
  assert.equal(
    seenTimes('trader×hs6', declaration(505, { trader: 'A|B' }, { hsCode: '1245' })),
    0,
    'trader A|B with HS 1245 is another pair, never seen',
  );
});

test('a model written before pair keys were JSON still scores its pairs', () => {
  const rows: Labelled[] = trickyDeclarations().map((d, i) => ({
    declaration: d,
    fraud: i % 2,
    critical: 0,
  }));
  const { encoder } = FeatureEncoder.fit(rows);
  const json = encoder.toJSON();
  assert.equal(json.pairKeys, 'json');
  // the same statistics, keys joined with "|" as older models wrote them
  const joined = {
    prior: json.prior,
    hs6LogUnitValue: json.hs6LogUnitValue,
    categories: json.categories.map((c) => ({
      ...c,
      keys: c.name.includes('×')
        ? c.keys.map((k) => (JSON.parse(k) as (string | null)[]).map((v) => v ?? 'undefined').join('|'))
        : c.keys,
    })),
  };
  const old = FeatureEncoder.fromJSON(joined);
  const plain = declaration(600, { trader: 'T1', seller: 'S1' });
  assert.deepEqual(old.encode(plain), encoder.encode(plain));
  assert.equal(old.toJSON().pairKeys, undefined, 'written back as it was read');
});

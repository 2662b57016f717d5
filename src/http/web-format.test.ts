/**
 * How the web application writes amounts and the model's factors (web/src/format.ts,
 * web/src/factors.ts), run in Node: amounts with their currency's own decimals and the code after
 * them; the factors' counts said to be those of the model's training data.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { factorSentence } from '../../web/src/factors.ts';
import { minorUnits, money } from '../../web/src/format.ts';

describe('amounts in the web application', () => {
  test('each currency with its own minor units, the code after the amount', () => {
    assert.equal(money(1300, 'USD'), '1,300.00 USD');
    assert.equal(money(1250.75, 'USD'), '1,250.75 USD');
    assert.equal(money(1250.75, 'KWD'), '1,250.750 KWD');
    assert.equal(money(1250.7505, 'BHD'), '1,250.751 BHD');
    assert.equal(money(1250.75, 'JPY'), '1,251 JPY');
    assert.equal(money(1250000, 'KRW'), '1,250,000 KRW');
    assert.equal(money(0.5, 'EUR'), '0.50 EUR');
  });

  test('two decimals without a currency, for a code the browser does not know and for a malformed one', () => {
    assert.equal(money(1250.7), '1,250.70');
    assert.equal(money(1250.7, null), '1,250.70');
    assert.equal(minorUnits('QQQ'), 2);
    assert.equal(money(1250.7, 'QQQ'), '1,250.70 QQQ');
    assert.equal(minorUnits('usd!'), 2);
    assert.equal(money(1250.7, 'usd!'), '1,250.70 usd!');
  });
});

describe("the model's factors in words", () => {
  test("a history's counts are said to be of the model's training data", () => {
    const sentence = factorSentence({
      feature: 'trader:rate',
      contribution: 0.4,
      value: null,
      unit: null,
      subject: ['TRADER-A'],
      reference: { kind: 'history', declarations: 12, irregular: 3, overallRate: 0.08 },
    });
    assert.equal(
      sentence,
      "Trader's history: TRADER-A, in the model's training data: 12 declarations, 3 found irregular (25%) against 8% over all its declarations",
    );
    const unseen = factorSentence({
      feature: 'trader:rate',
      contribution: 0.4,
      subject: ['TRADER-B'],
      reference: { kind: 'history', declarations: 0, irregular: 0, overallRate: 0.08 },
    });
    assert.equal(
      unseen,
      "Trader's history: TRADER-B, not in the model's training data (8% found irregular over all its declarations)",
    );
  });

  test('the training median is given without a currency; the price reference with its own', () => {
    const vsHs6 = factorSentence({
      feature: 'unitValueVsHs6',
      contribution: 0.7,
      value: 0.4941,
      unit: 'USD/kg',
      subject: null,
      reference: { kind: 'training_median', median: 2.0947, hs6: '701349', currency: null },
    });
    assert.equal(
      vsHs6,
      "Unit value against the HS subheading's median 0.494 USD/kg compared with the median of 2.09 per kg for HS 7013.49 in the model's training data (in the currencies declared, not converted)",
    );
    const plain = factorSentence({
      feature: 'logUnitValue',
      contribution: 0.2,
      value: 0.4941,
      unit: 'USD/kg',
      subject: null,
      reference: {
        kind: 'price_median',
        median: 2.1,
        hs6: '701349',
        origin: null,
        currency: 'USD',
        observations: 40,
      },
    });
    assert.equal(
      plain,
      'Unit value 0.494 USD/kg beside the published price reference: a median of 2.1 USD/kg for HS 7013.49 from every origin (40 declarations)',
    );
  });

  test("the mirror value ratio as a share of the partner's export value, or its absence", () => {
    const low = {
      feature: 'mirrorValueRatio',
      contribution: 1.1,
      value: 0.4,
      subject: null,
      reference: null,
    };
    assert.equal(
      factorSentence(low),
      "Declared value against the partner's export record: 40% of the export's value with freight and insurance",
    );
    assert.equal(
      factorSentence({ ...low, contribution: -0.1, value: null }),
      "Declared value against the partner's export record: no partner's export record to compare with",
    );
  });

  test('the mirror quantity and mass ratios as shares, the HS and origin mismatches as whether an item differs', () => {
    const factor = (feature: string, value: number | null) => ({
      feature,
      contribution: 0.8,
      value,
      subject: null,
      reference: null,
    });
    assert.equal(
      factorSentence(factor('mirrorQuantityRatio', 0.5)),
      "Declared quantity against the partner's export record: 50% of the export's quantity, on the item that differs most",
    );
    assert.equal(
      factorSentence(factor('mirrorMassRatio', 1.6)),
      "Declared net mass against the partner's export record: 160% of the export's net mass, on the item that differs most",
    );
    assert.equal(
      factorSentence(factor('mirrorMassRatio', null)),
      "Declared net mass against the partner's export record: no partner's export record with a figure to compare with",
    );
    assert.equal(
      factorSentence(factor('mirrorHsMismatch', 1)),
      "HS subheading against the partner's export record: differs on an item",
    );
    assert.equal(
      factorSentence(factor('mirrorOriginMismatch', 0)),
      "Origin against the partner's export record: the same on every item",
    );
  });
});

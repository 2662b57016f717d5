/** What descriptions say of declared codes, as risk reads it: per item, and the lowest over a declaration. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DescribedCode, DescriptionCodes } from '../declarations/description-codes.ts';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import { describedItems, lowestAgreement, rowExtrasOfIndicators } from './described.ts';

/** Answers by the first word of a description, as an aid would give them. */
const answers: Record<string, DescribedCode[]> = {
  shrimp: [
    { hs6: '030617', confidence: 0.7 },
    { hs6: '030616', confidence: 0.2 },
    { hs6: '160521', confidence: 0.05 },
  ],
  smartphones: [
    { hs6: '851713', confidence: 0.8 },
    { hs6: '851762', confidence: 0.1 },
  ],
  parts: [
    { hs6: '847330', confidence: 0.3 },
    { hs6: '870899', confidence: 0.3 },
  ],
};
const codes: DescriptionCodes = { codes: (description) => answers[description.split(' ')[0] ?? ''] ?? [] };

const item = (hsCode: string, description?: string): GoodsItem => ({
  sequence: 1,
  hsCode,
  value: 100,
  ...(description ? { description } : {}),
});
const declaration = (items: GoodsItem[]) => ({ date: '2026-03-02', items }) as DeclarationInput;

test('each item: the declared heading’s share of the answers, and the heading pointed to when it is sure and elsewhere', () => {
  const d = declaration([
    item('03061700', 'shrimp frozen'),
    item('85171300', 'shrimp frozen'),
    item('85171300', 'smartphones 128GB'),
    item('84733000', 'parts'),
    item('87089900'),
  ]);
  const described = describedItems(codes, d);
  assert.ok(described);
  assert.ok(Math.abs((described[0]?.agreement ?? 0) - 0.9) < 1e-9);
  assert.equal(described[0]?.elsewhere, undefined);
  assert.deepEqual(described[1], { agreement: 0, elsewhere: '030617' });
  assert.ok(Math.abs((described[2]?.agreement ?? 0) - 0.9) < 1e-9); // 8517.13 and 8517.62 both in 8517
  // too unsure to point anywhere
  assert.deepEqual(described[3], { agreement: 0.3, elsewhere: undefined });
  assert.ok(Number.isNaN(described[4]?.agreement));
  assert.equal(lowestAgreement(described), 0);
  assert.equal(rowExtrasOfIndicators({ described }).descriptionAgreement, 0);
  assert.equal(describedItems(undefined, d), undefined);
});

test('without descriptions or without the aid, the model’s feature is missing, not zero', () => {
  assert.ok(Number.isNaN(lowestAgreement(undefined)));
  assert.ok(Number.isNaN(lowestAgreement(describedItems(codes, declaration([item('87089900')])))));
  assert.ok(Number.isNaN(rowExtrasOfIndicators({}).descriptionAgreement ?? 0));
});

test('the documents’ discrepancies reach the model as a count, 0 when none was found', () => {
  assert.equal(rowExtrasOfIndicators({}).documentDiscrepancies, 0);
  const documents = { discrepancies: 3, codes: ['invoice_total', 'seller'] };
  assert.equal(rowExtrasOfIndicators({ documents }).documentDiscrepancies, 3);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GoodsItem } from '../declarations/model.ts';
import { extractDocument } from './extract.ts';
import type { InvoiceFields, InvoiceLine } from './extraction.ts';
import { generateInvoice, Injection } from './generate/invoice.ts';
import { invoicePdf } from './generate/pdf.ts';
import { sampleDeclarations } from './generate/samples.ts';
import { nameSimilarity } from './names.ts';
import { reviewChecks, reviewDocument, sellerSimilarityThreshold } from './review.ts';

const declarations = sampleDeclarations(12);
const counted = declarations.find((d) => d.items.some((i) => i.supplementaryQuantity !== undefined));

async function fieldsOf(declarationIndex: number, inject: Injection[] = []) {
  const declaration = declarations[declarationIndex];
  assert.ok(declaration);
  const invoice = generateInvoice(declaration, declarationIndex, inject);
  const { fields } = await extractDocument(await invoicePdf(invoice.layout), 'application/pdf');
  return { declaration, invoice, fields };
}

test('reports nothing on invoices that agree with their declarations', async () => {
  for (let i = 0; i < 6; i++) {
    const { declaration, fields } = await fieldsOf(i);
    assert.deepEqual(
      reviewDocument(declaration, fields),
      [],
      `declaration ${declaration.functionalReference}`,
    );
    assert.ok(reviewChecks(declaration, fields).filter((c) => c.made).length >= 4);
  }
});

test('finds each kind of injected discrepancy, with both values and its evidence', async () => {
  const index = declarations.findIndex((d) => d === counted);
  for (const kind of Object.values(Injection)) {
    const { declaration, invoice, fields } = await fieldsOf(index, [kind]);
    const found = reviewDocument(declaration, fields);
    assert.deepEqual(
      found.map((d) => ({ code: d.code, ...(d.code === 'quantity' ? { item: d.item } : {}) })),
      invoice.injected,
      kind,
    );
    const [discrepancy] = found;
    assert.ok(discrepancy?.evidence?.box, `${kind} has a region`);
    assert.notEqual(discrepancy.declared, discrepancy.documented);
    const words = discrepancy.message.replaceAll(',', '');
    assert.ok(words.includes(String(discrepancy.declared).replaceAll(',', '')), discrepancy.message);
    assert.ok(words.includes(String(discrepancy.documented).replaceAll(',', '')), discrepancy.message);
  }
});

test('compares seller names without case, punctuation or legal forms, and tells different sellers apart', () => {
  const same: [string, string][] = [
    ['Union Import & Export Co., Ltd.', 'UNION IMPORT AND EXPORT CO LTD'],
    ['Bluewater Commodities GmbH', 'Bluewater Commodities'],
    ['Union Import & Export Co., Ltd.', 'Uni0n lmport & Export Co. Lid.'],
  ];
  const different: [string, string][] = [
    ['Union Import & Export Co., Ltd.', 'Golden Harvest Trading Ltd.'],
    ['Xiamen Crystal Supply Co., Ltd.', 'Redstone Manufacturing LLC'],
  ];
  for (const [a, b] of same) assert.ok(nameSimilarity(a, b) >= sellerSimilarityThreshold, `${a} / ${b}`);
  for (const [a, b] of different) assert.ok(nameSimilarity(a, b) < sellerSimilarityThreshold, `${a} / ${b}`);
});

const at = { page: 1, text: '' };
const line = (description: string, quantity?: number): InvoiceLine => ({
  description: { value: description, ...at, text: description },
  ...(quantity === undefined ? {} : { quantity: { value: quantity, ...at } }),
});
const item = (
  sequence: number,
  hsCode: string,
  description: string,
  supplementaryQuantity?: number,
): GoodsItem => ({
  sequence,
  hsCode,
  description,
  value: 100,
  ...(supplementaryQuantity === undefined ? {} : { supplementaryQuantity, supplementaryUnit: 'NAR' }),
});

test('accepts invoice lines merged into one item per tariff code, and reports lines or items left over', () => {
  const items = [item(1, '640411', 'running shoes', 300), item(2, '640419', 'canvas sneakers', 200)];
  const declaration = { currency: 'USD', items };
  const merged: InvoiceFields = {
    lines: [line('running shoes, men', 100), line('running shoes, women', 200), line('canvas sneakers', 200)],
  };
  assert.deepEqual(reviewDocument(declaration, merged), []);
  const missing = reviewDocument(declaration, { lines: [line('running shoes', 300)] });
  assert.deepEqual(
    missing.map((d) => [d.code, d.declared, d.documented, d.item]),
    [['line_count', 2, 1, 2]],
  );
  const extra = reviewDocument(declaration, {
    lines: [line('running shoes', 300), line('canvas sneakers', 200), line('lithium batteries', 50)],
  });
  assert.deepEqual(
    extra.map((d) => [d.code, d.documented]),
    [['line_count', 3]],
  );
  assert.match(extra[0]?.message ?? '', /line 3 matches no declared item/);
});

test('with a classifier, names the heading a line description points to when it differs from the declared one', () => {
  const declaration = {
    currency: 'USD',
    items: [item(1, '030617', 'frozen shrimp'), item(2, '030749', 'frozen squid')],
  };
  const suggestions: Record<string, { hs6: string; confidence: number }[]> = {
    'frozen shrimp': [{ hs6: '030617', confidence: 0.9 }],
    'frozen cuttlefish rings': [{ hs6: '160554', confidence: 0.8 }],
  };
  const classify = (description: string) => suggestions[description] ?? [];
  const fields = { lines: [line('frozen shrimp'), line('frozen cuttlefish rings')] };
  const found = reviewDocument(declaration, fields, { classify });
  assert.deepEqual(
    found.map((d) => [d.code, d.item, d.declared, d.documented]),
    [['description_hs', 2, '030749', '160554']],
  );
  assert.match(found[0]?.message ?? '', /1605\.54.*0307\.49/);
  const lowConfidence = { 'frozen cuttlefish rings': [{ hs6: '160554', confidence: 0.3 }] };
  assert.deepEqual(
    reviewDocument(declaration, fields, {
      classify: (d) => lowConfidence[d as 'frozen cuttlefish rings'] ?? [],
    }),
    [],
  );
});

test('says nothing about fields it could not read, and says which checks it could not make', () => {
  const declaration = {
    currency: 'USD',
    invoiceTotal: 1000,
    seller: 'Union Import & Export Co., Ltd.',
    items: [item(1, '030617', 'frozen shrimp')],
  };
  const fields: InvoiceFields = { lines: [] };
  assert.deepEqual(reviewDocument(declaration, fields), []);
  const checks = reviewChecks(declaration, fields);
  assert.deepEqual(
    checks.filter((c) => !c.made).map((c) => c.code),
    ['invoice_total', 'currency', 'seller', 'line_count', 'quantity', 'description_hs'],
  );
  assert.ok(checks.every((c) => c.reason));
});

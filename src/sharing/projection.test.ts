import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pseudonymiser } from '../governance/pseudonyms.ts';
import { releaseLabelOf } from './agreements.ts';
import { project, type StoredDeclaration } from './projection.ts';

const stored: StoredDeclaration = {
  id: 41,
  type: 'IM',
  functionalReference: 'TRADER-A-2026-7',
  date: '2026-03-02',
  office: '030',
  declarant: 'BROKER-A',
  trader: 'TRADER-A',
  seller: 'SELLER-1',
  currency: 'USD',
  items: [
    { sequence: 1, hsCode: '02013000', value: 500, netMass: 100, description: 'beef' },
    { sequence: 2, hsCode: '02023000', value: 300 },
  ],
};
const key = Buffer.alloc(32, 3);

test('keeps the id and the granted fields only, with null where the declaration holds none', () => {
  const shared = project(stored, {
    id: 7,
    fields: ['type', 'buyer', 'items[].netMass', 'nonsense'],
    level: 'identified',
    hsPrefixes: [],
  });
  assert.deepEqual(shared, {
    id: 41,
    type: 'IM',
    buyer: null,
    items: [
      { sequence: 1, netMass: 100 },
      { sequence: 2, netMass: null },
    ],
  });
});

test('under an agreement limited to HS codes, keeps only the goods items of those codes', () => {
  const mixed: StoredDeclaration = {
    ...stored,
    items: [...stored.items, { sequence: 3, hsCode: '85171300', value: 900, description: 'phones' }],
  };
  const terms = { id: 7, fields: ['items[].hsCode', 'items[].value'], level: 'identified' as const };
  assert.deepEqual(project(mixed, { ...terms, hsPrefixes: ['0201', '03'] }).items, [
    { sequence: 1, hsCode: '02013000', value: 500 },
  ]);
  assert.deepEqual(
    project(mixed, { ...terms, hsPrefixes: ['02'] }).items?.map((i) => i.sequence),
    [1, 2],
  );
  assert.deepEqual(
    project(mixed, { ...terms, hsPrefixes: [] }).items?.map((i) => i.sequence),
    [1, 2, 3],
  );
});

test('leaves the goods items out when no item field is granted', () => {
  assert.deepEqual(project(stored, { id: 7, fields: ['office'], level: 'identified', hsPrefixes: [] }), {
    id: 41,
    office: '030',
  });
});

test('replaces every granted party identifier by its pseudonym in the agreement, stable within it', () => {
  const fields = ['trader', 'declarant', 'seller', 'functionalReference', 'office'];
  const p = pseudonymiser(key, releaseLabelOf(7));
  const shared = project(stored, { id: 7, fields, level: 'pseudonymised', hsPrefixes: [] }, p);
  assert.equal(shared.office, '030');
  for (const k of ['trader', 'declarant', 'seller', 'functionalReference'])
    assert.match(String(shared[k]), /^T-[A-Z2-7]{16}$/, k);
  assert.equal(new Set([shared.trader, shared.declarant, shared.seller]).size, 3);
  const again = project({ ...stored, id: 42 }, { id: 7, fields, level: 'pseudonymised', hsPrefixes: [] }, p);
  assert.equal(again.trader, shared.trader);
  const other = project(
    stored,
    { id: 8, fields, level: 'pseudonymised', hsPrefixes: [] },
    pseudonymiser(key, releaseLabelOf(8)),
  );
  assert.notEqual(other.trader, shared.trader, 'another agreement, unrelated pseudonyms');
});

test('refuses to project without pseudonyms under a pseudonymised agreement, and under an aggregated one', () => {
  assert.throws(
    () => project(stored, { id: 7, fields: ['trader'], level: 'pseudonymised', hsPrefixes: [] }),
    /pseudonym function/,
  );
  assert.throws(
    () => project(stored, { id: 7, fields: ['trader'], level: 'aggregated', hsPrefixes: [] }),
    /aggregates only/,
  );
});

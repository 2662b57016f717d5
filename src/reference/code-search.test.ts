import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeSearch, normaliseText } from './code-search.ts';

const list = codeSearch([
  { code: 'B2', description: 'Tableware of glass' },
  { code: 'A1', description: 'Glassware, drinking' },
  { code: 'C3', description: 'Glass' },
  { code: 'D4', description: 'Glass beads and bugles' },
  { code: 'GL', description: 'Ceramic tiles' },
  { code: 'E5', description: 'Café furniture, Zürich style' },
]);
const codes = (q: string, limit = 10) => list.search(q, limit).map((i) => i.code);

test('ranks codes starting with the query first, then the description that is the query, then those whose first words are the query, then word starts, then words inside', () => {
  assert.deepEqual(codes('gl'), ['GL', 'A1', 'B2', 'C3', 'D4']);
  assert.deepEqual(codes('glass'), ['C3', 'D4', 'A1', 'B2']);
  assert.deepEqual(codes('ware'), ['A1', 'B2']);
});

test('every word must match, in any order, case and accents ignored', () => {
  assert.deepEqual(codes('GLASS drinking'), ['A1']);
  assert.deepEqual(codes('drinking tiles'), []);
  assert.deepEqual(codes('zurich CAFE'), ['E5']);
  assert.deepEqual(codes('Zürich'), ['E5']);
});

test('a query of digits is a code and never matches words', () => {
  const numbered = codeSearch(
    [
      { code: '701349', description: 'Glassware, n.e.c. in item no. 7013.4' },
      { code: '701333', description: 'Drinking glasses' },
    ],
    { extendedCodes: true },
  );
  assert.deepEqual(
    numbered.search('7013.3', 10).map((i) => i.code),
    ['701333'],
  );
  assert.deepEqual(
    numbered.search('7013 49 10 00', 10).map((i) => i.code),
    ['701349'],
  );
});

test('an empty query lists the first codes; the limit holds', () => {
  assert.deepEqual(codes('', 3), ['A1', 'B2', 'C3']);
  assert.deepEqual(codes('glass', 2), ['C3', 'D4']);
});

test('normalising removes accents, case and punctuation', () => {
  assert.equal(normaliseText("  Côte d'Ivoire -- ÅLAND  "), 'cote d ivoire aland');
});

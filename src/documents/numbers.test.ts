import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numbersIn, parseDate, parseNumber } from './numbers.ts';

test('reads amounts with thousands separators, decimal commas and OCR letters for digits', () => {
  const cases: [string, number | undefined][] = [
    ['1,234.56', 1234.56],
    ['1.234,56', 1234.56],
    ['15,000', 15000],
    ['1,234,567', 1234567],
    ['12.5', 12.5],
    ['0.0450', 0.045],
    ['1O,200.5O', 10200.5],
    ['l,25O.00', 1250],
    ['115.229.86', 115229.86],
    ['$1,200.00', 1200],
    ['USD1,200.00', 1200],
    ['(45.00)', 45],
    ['-3', -3],
    ['Total', undefined],
    ['Ol', undefined],
    ['KGM', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseNumber(text), expected, text);
});

test('finds the numbers of a line with their tokens', () => {
  assert.deepEqual(
    numbersIn('2 frozen shrimp 4,361 KGM 3.46 15,097.02').map((n) => n.value),
    [2, 4361, 3.46, 15097.02],
  );
});

test('reads the date formats invoices print, and refuses impossible dates', () => {
  const cases: [string, string | undefined][] = [
    ['Date: 2026-12-07', '2026-12-07'],
    ['07.12.2026', '2026-12-07'],
    ['12/25/2026', '2026-12-25'],
    ['7 December 2026', '2026-12-07'],
    ['Dec 07, 2026', '2026-12-07'],
    ['07-Dec-2026', '2026-12-07'],
    ['2O26-O5-l5', '2026-05-15'],
    ['31.02.2026', undefined],
    ['no date here', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseDate(text), expected, text);
});

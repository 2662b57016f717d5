/**
 * The mirror helpers of the web application (web/src/mirror/), without a browser: only
 * comparisons that differ marked, months summed per currency with the empty ones kept, and the
 * filters read from and written to the address.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mirrorFilters } from '../../web/src/mirror/filters.ts';
import { byMonth, currenciesOf, monthsBetween } from '../../web/src/mirror/months.ts';
import { gapAt } from '../../web/src/mirror/gaps.ts';
import type { Gap, StatisticsRow } from '../../web/src/mirror/types.ts';

describe('marking the gaps', () => {
  const gap = (over: Partial<Gap>): Gap => ({
    kind: 'mass',
    item: 1,
    importFigure: 12.5,
    exportFigure: 12.5,
    ratio: 1,
    threshold: 1.1,
    beyond: false,
    text: '',
    ...over,
  });
  test('a comparison of equal figures is not marked; one that differs is, and one beyond its threshold', () => {
    assert.equal(gapAt([gap({})], 1, 'mass'), undefined);
    assert.ok(gapAt([gap({ exportFigure: 13 })], 1, 'mass'));
    assert.ok(
      gapAt([gap({ kind: 'hs', importFigure: '851713', exportFigure: '851713', beyond: true })], 1, 'hs'),
    );
    assert.equal(gapAt([gap({ exportFigure: 13 })], 2, 'mass'), undefined);
    assert.equal(gapAt([gap({ exportFigure: 13 })], null, 'mass'), undefined);
  });
});

describe('mirror statistics per month', () => {
  const row = (month: string, currency: string, valueGap: number): StatisticsRow => ({
    partner: 'NL',
    chapter: '85',
    month,
    matched: 1,
    unmatched: 2,
    beyond: 1,
    exportValue: 0,
    importValue: 0,
    valueGap,
    currency,
  });

  test('every month of the period is there, across a new year, the empty ones too', () => {
    assert.deepEqual(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.deepEqual(monthsBetween('2026-03', '2026-02'), []);
  });

  test('counts add up per month and value gaps per currency, never across currencies', () => {
    const months = byMonth(
      [row('2026-03', 'USD', -800), row('2026-03', 'EUR', 50), row('2026-03', 'USD', -200)],
      '2026-02',
      '2026-03',
    );
    assert.deepEqual(months, [
      { month: '2026-02', matched: 0, unmatched: 0, beyond: 0, valueGap: {} },
      { month: '2026-03', matched: 3, unmatched: 6, beyond: 3, valueGap: { USD: -1000, EUR: 50 } },
    ]);
    assert.deepEqual(
      currenciesOf([row('2026-03', 'EUR', 0), row('2026-03', 'USD', 0), row('2026-04', 'USD', 0)]),
      ['USD', 'EUR'],
    );
  });

  test('the filters go to the address and come back, a partner upper-cased and empty ones left out', () => {
    assert.equal(
      mirrorFilters.queryOf({ from: '2026-01', to: '', partner: ' nl ', chapter: '85' }),
      'from=2026-01&partner=NL&chapter=85',
    );
    assert.deepEqual(mirrorFilters.filtersOf('?from=2026-01&partner=nl&other=1'), {
      from: '2026-01',
      to: '',
      partner: 'NL',
      chapter: '',
    });
  });
});

/**
 * The Clearance time page's helpers (web/src/clearance/), without a browser: the filters read from
 * and written to the address (web/src/addressFilters.ts), and the histogram's buckets in words.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withQuery } from '../../web/src/addressFilters.ts';
import { barsOf, bucketLabel } from '../../web/src/clearance/buckets.ts';
import { clearanceFilters } from '../../web/src/clearance/filters.ts';
import type { StageStats } from '../../web/src/clearance/types.ts';

describe('the clearance filters in the address', () => {
  test('they come from the address trimmed, the targets without spaces, unknown ones left out', () => {
    assert.deepEqual(clearanceFilters.filtersOf('?from=2026-03-01&targets=60,+1440&by=+office+&top=3'), {
      from: '2026-03-01',
      to: '',
      by: 'office',
      targets: '60,1440',
      compareFrom: '',
      compareTo: '',
    });
  });

  test('they go to the address in the order of the form, empty ones left out', () => {
    const query = clearanceFilters.queryOf({
      from: '',
      to: ' 2026-03-31',
      by: '',
      targets: ' 30 , 120 ',
      compareFrom: '2026-02-01',
      compareTo: '',
    });
    assert.equal(query, 'to=2026-03-31&targets=30%2C120&compareFrom=2026-02-01');
    assert.equal(withQuery('/clearance', query), `/clearance?${query}`);
    assert.equal(withQuery('/clearance', ''), '/clearance');
  });
});

describe('the histogram in words', () => {
  const edges = [0, 15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 10080];
  const buckets = [null, ...edges].map((from, i) => ({ from, to: edges[i] ?? null }));

  test('every bucket of the study is said as a person says it', () => {
    assert.deepEqual(
      buckets.map((b) => bucketLabel(b, 'arrivalToLodging')),
      [
        'before arrival',
        'under 15 min',
        '15–30 min',
        '30 min–1 h',
        '1–2 h',
        '2–4 h',
        '4–8 h',
        '8 h–1 day',
        '1–2 days',
        '2–3 days',
        '3 days–a week',
        'a week or more',
      ],
    );
    assert.equal(bucketLabel({ from: null, to: 0 }, 'total'), 'below zero');
    assert.equal(bucketLabel({ from: 90, to: 20160 }, 'total'), '90 min–2 weeks');
  });

  const stats = (over: Partial<StageStats>): StageStats => ({
    stage: 'total',
    count: 4,
    mean: null,
    median: null,
    p90: null,
    histogram: [0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0],
    withinTargets: [],
    sumMinutes: 0,
    ...over,
  });

  test('a bar per bucket with its share; below zero only where it holds one or may', () => {
    const bars = barsOf(buckets, stats({}));
    assert.equal(bars.length, 11);
    assert.deepEqual(bars[0], { label: 'under 15 min', declarations: 1, share: 0.25 });
    assert.deepEqual(bars[2], { label: '30 min–1 h', declarations: 2, share: 0.5 });
    assert.equal(barsOf(buckets, stats({ stage: 'arrivalToLodging' }))[0]?.label, 'before arrival');
    const below = barsOf(buckets, stats({ histogram: [1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] }));
    assert.deepEqual(below[0], { label: 'below zero', declarations: 1, share: 0.25 });
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statsWindow } from './window.ts';

describe('the window of a statistics request', () => {
  const defaults = [
    ['day', '2026-11-26', '2026-10-28', 30],
    ['week', '2026-11-26', '2026-06-01', 26],
    ['month', '2026-11-26', '2025-12-01', 12],
  ] as const;
  for (const [period, today, from, periods] of defaults) {
    test(`defaults to ${periods} ${period}s up to today`, () => {
      const window = statsWindow({ period }, today);
      assert.ok(window.ok);
      assert.equal(window.value.from, from);
      assert.equal(window.value.to, today);
      assert.equal(window.value.periods.length, periods);
      assert.equal(
        window.value.periods.at(-1),
        period === 'day' ? today : period === 'week' ? '2026-11-23' : '2026-11-01',
      );
    });
  }

  test('labels each month by its first day, the first one before the window when it starts mid-month', () => {
    const window = statsWindow({ period: 'month', from: '2024-01-31', to: '2024-03-01' }, '2026-01-01');
    assert.ok(window.ok);
    assert.deepEqual(window.value.periods, ['2024-01-01', '2024-02-01', '2024-03-01']);
  });

  test('starts weeks on Monday, across a year end', () => {
    const window = statsWindow({ period: 'week', from: '2026-12-31', to: '2027-01-11' }, '2027-01-11');
    assert.ok(window.ok);
    assert.deepEqual(window.value.periods, ['2026-12-28', '2027-01-04', '2027-01-11']);
  });

  test('accepts a single day and exactly 400 days, not 401', () => {
    const one = statsWindow({ period: 'day', from: '2024-02-29', to: '2024-02-29' }, '2026-01-01');
    assert.ok(one.ok);
    assert.deepEqual(one.value.periods, ['2024-02-29']);
    const most = statsWindow({ period: 'day', from: '2025-01-01', to: '2026-02-04' }, '2026-03-01');
    assert.ok(most.ok);
    assert.equal(most.value.periods.length, 400);
    const over = statsWindow({ period: 'day', from: '2025-01-01', to: '2026-02-05' }, '2026-03-01');
    assert.ok(!over.ok);
    assert.match(over.error.message, /spans more than 400 days/);
  });

  const refused = [
    [{ from: '2026-02-30' }, /from must be a calendar day written YYYY-MM-DD, .*not 2026-02-30/],
    [{ to: '0000-01-01' }, /to must be a calendar day written YYYY-MM-DD, from 1900-01-01 to 9999-12-31/],
    [{ from: '1899-12-31', to: '1900-01-31' }, /from must be .* from 1900-01-01/],
    [{ to: '26-01-01' }, /to must be a calendar day/],
    [{ from: '2026-02-01', to: '2026-01-31' }, /from 2026-02-01 is after to 2026-01-31/],
    [{ from: '2021-01-01', to: '2026-01-01' }, /longer than 5 years/],
  ] as const;
  for (const [query, message] of refused) {
    test(`refuses ${JSON.stringify(query)}`, () => {
      const window = statsWindow(query, '2026-06-01');
      assert.ok(!window.ok);
      assert.match(window.error.message, message);
    });
  }

  test('takes the first supported days and periods that begin before them', () => {
    const window = statsWindow({ period: 'week', from: '1900-01-01', to: '1900-01-10' }, '2026-06-01');
    assert.ok(window.ok);
    assert.deepEqual(window.value.periods, ['1900-01-01', '1900-01-08']);
    const days = statsWindow({ period: 'month', from: '9999-11-15', to: '9999-12-31' }, '2026-06-01');
    assert.ok(days.ok);
    assert.deepEqual(days.value.periods, ['9999-11-01', '9999-12-01']);
  });

  test('a window of just under 5 years in weeks is allowed', () => {
    const window = statsWindow({ period: 'week', from: '2021-01-02', to: '2026-01-01' }, '2026-06-01');
    assert.ok(window.ok);
    assert.equal(window.value.periods.length, 262);
  });
});

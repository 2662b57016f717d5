import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderQualityReport } from './report.ts';
import type { QualityScores, ScoreRow } from './scores.ts';

const row = (key: string, checked: number, overall: number, trend: number | null): ScoreRow => ({
  key,
  checked,
  failed: { completeness: 0, validity: 0, consistency: 0 },
  scores: { completeness: 0.5, validity: 0.875, consistency: 1, overall },
  trend: { completeness: null, validity: null, consistency: null, overall: trend },
  periods: [],
});

test('prints the lowest scores first with their trend in percentage points', () => {
  const scores: QualityScores = {
    from: '2026-03-01',
    to: '2026-04-30',
    period: 'month',
    by: 'trader',
    items: [row('TRADER-A', 12, 0.7917, -0.0512), row('', 3, 0.7917, null), row('T-B', 120, 1, 0)],
  };
  assert.equal(
    renderQualityReport(scores),
    [
      'Data quality by trader, 2026-03-01 to 2026-04-30, per month; lowest first, trend = last month against the one before',
      '',
      'trader       checked  complete  valid  consistent  overall    trend',
      'TRADER-A          12     50.0%  87.5%      100.0%    79.2%  -5.1 pt',
      '(no trader)        3     50.0%  87.5%      100.0%    79.2%        -',
      'T-B              120     50.0%  87.5%      100.0%   100.0%  ±0.0 pt',
      '',
    ].join('\n'),
  );
});

test('says so when nothing was validated in the window', () => {
  const text = renderQualityReport({
    from: '2026-03-01',
    to: '2026-03-31',
    period: 'week',
    by: 'field',
    items: [],
  });
  assert.match(text, /no declarations were validated in this window\n$/);
});

/** The data-quality scores as a table a person reads in a terminal (`clearway quality report`). */
import type { QualityScores, Scores } from './scores.ts';

const percent = (n: number | null): string => (n === null ? '-' : `${(n * 100).toFixed(1)}%`);

/** A change in percentage points, signed; '-' without two periods to compare. */
const points = (n: number | null): string =>
  n === null ? '-' : `${n > 0 ? '+' : n < 0 ? '-' : '±'}${Math.abs(n * 100).toFixed(1)} pt`;

const columns = ['checked', 'complete', 'valid', 'consistent', 'overall', 'trend'] as const;

/** One line per key, lowest overall score first, with the trend of the overall score. */
export function renderQualityReport(scores: QualityScores): string {
  const keyTitle = scores.by === 'field' ? 'field' : 'trader';
  const rows = scores.items.map((item) => {
    const s: Scores = item.scores;
    return [
      item.key === '' ? '(no trader)' : item.key,
      String(item.checked),
      percent(s.completeness),
      percent(s.validity),
      percent(s.consistency),
      percent(s.overall),
      points(item.trend.overall),
    ];
  });
  const table = [[keyTitle, ...columns], ...rows];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const title = `Data quality by ${keyTitle}, ${scores.from} to ${scores.to}, per ${scores.period}; lowest first, trend = last ${scores.period} against the one before`;
  const body = rows.length ? table.map(line).join('\n') : 'no declarations were validated in this window';
  return `${title}\n\n${body}\n`;
}

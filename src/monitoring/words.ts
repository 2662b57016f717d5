/** The plain words of alerts: series, periods and amounts as an analyst reads them. */
import countries from 'i18n-iso-countries';
import type { MonitorPeriod } from './series-key.ts';

export const amount = (x: number, currency: string | null): string =>
  `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;

export const count = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

export const percent = (share: number): string =>
  `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;

export const country = (code: string): string => `${countries.getName(code, 'en') ?? code} (${code})`;

/** `HS 8517.13` */
export const hs6Words = (hs6: string): string => `HS ${hs6.slice(0, 4)}.${hs6.slice(4)}`;

/** `the week of 2026-03-02`, `the month of 2026-03` */
export const periodWords = (start: string, unit: MonitorPeriod): string =>
  unit === 'week' ? `the week of ${start}` : `the month of ${start.slice(0, 7)}`;

/** `imports of HS chapter 85`, `imports from China (CN)`, `imports at office 030`, `all imports` */
export function seriesWords(dimension: string, key: string): string {
  if (dimension === 'chapter') return `imports of HS chapter ${key}`;
  if (dimension === 'origin') return `imports from ${country(key)}`;
  if (dimension === 'office') return `imports at office ${key}`;
  return 'all imports';
}

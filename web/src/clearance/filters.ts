import { addressFilters } from '../addressFilters.ts';

/**
 * The Clearance time page's filters as the address bar holds them
 * (`/clearance?from=2026-01-01&by=office&targets=60,1440`): release days, the grouping, the targets
 * (spaces taken out) and the period to compare with.
 */
export const clearanceFilters = addressFilters(['from', 'to', 'by', 'targets', 'compareFrom', 'compareTo'], {
  targets: (minutes) => minutes.replace(/\s+/g, ''),
});
export type Filters = ReturnType<typeof clearanceFilters.filtersOf>;

export const groupings = [
  ['', 'All together'],
  ['office', 'Office'],
  ['lane', 'Lane'],
  ['mode', 'Transport mode'],
  ['section', 'HS section'],
  ['trader', 'Trader'],
  ['period', 'Month'],
] as const;

/** Minutes as a reader counts them: "45 min", "6 h 25 min", "1 d 14 h"; negative with a minus sign. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–';
  const sign = minutes < 0 ? '−' : '';
  const m = Math.round(Math.abs(minutes));
  if (m < 60) return `${sign}${m} min`;
  if (m < 1440) return `${sign}${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const h = Math.round((m % 1440) / 60);
  return `${sign}${Math.floor(m / 1440)} d${h ? ` ${h} h` : ''}`;
}

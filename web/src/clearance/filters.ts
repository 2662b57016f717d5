/**
 * The Clearance time page's filters as the address bar holds them
 * (`/clearance?from=2026-01-01&by=office&targets=60,1440`): the form and the query string mirror each
 * other, so a reload, Back or a shared link shows the same study.
 */
export const filterFields = ['from', 'to', 'by', 'targets', 'compareFrom', 'compareTo'] as const;
export type Filters = Record<(typeof filterFields)[number], string>;

export const groupings = [
  ['', 'All together'],
  ['office', 'Office'],
  ['lane', 'Lane'],
  ['mode', 'Transport mode'],
  ['section', 'HS section'],
  ['trader', 'Trader'],
  ['period', 'Month'],
] as const;

/** The filters in a query string; unknown parameters are left out. */
export function filtersOf(query: string): Filters {
  const params = new URLSearchParams(query);
  const get = (name: string) => params.get(name)?.trim() ?? '';
  return {
    from: get('from'),
    to: get('to'),
    by: get('by'),
    targets: get('targets').replace(/\s+/g, ''),
    compareFrom: get('compareFrom'),
    compareTo: get('compareTo'),
  };
}

/** The query string of the filters, empty ones left out ('' when none). */
export function queryOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const field of filterFields) {
    const value = field === 'targets' ? filters[field].replace(/\s+/g, '') : filters[field].trim();
    if (value) params.set(field, value);
  }
  return params.toString();
}

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

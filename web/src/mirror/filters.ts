/**
 * The mirror statistics' filters as the address bar holds them (`/mirror?from=2026-01&partner=NL`):
 * the form and the query string mirror each other, so a reload, Back or a shared link shows the same.
 */
export const filterFields = ['from', 'to', 'partner', 'chapter'] as const;
export type Filters = Record<(typeof filterFields)[number], string>;

/** The filters in a query string; unknown parameters are left out. */
export function filtersOf(query: string): Filters {
  const params = new URLSearchParams(query);
  const get = (name: string) => params.get(name)?.trim() ?? '';
  return { from: get('from'), to: get('to'), partner: get('partner').toUpperCase(), chapter: get('chapter') };
}

/** The query string of the filters, empty ones left out ('' when none). */
export function queryOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const field of filterFields) {
    const value = field === 'partner' ? filters[field].trim().toUpperCase() : filters[field].trim();
    if (value) params.set(field, value);
  }
  return params.toString();
}

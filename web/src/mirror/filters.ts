import { addressFilters } from '../addressFilters.ts';

/**
 * The mirror statistics' filters as the address bar holds them (`/mirror?from=2026-01&partner=NL`):
 * months, the partner's code (upper-cased) and the HS chapter.
 */
export const mirrorFilters = addressFilters(['from', 'to', 'partner', 'chapter'], {
  partner: (code) => code.toUpperCase(),
});
export type Filters = ReturnType<typeof mirrorFilters.filtersOf>;

/**
 * A page's filters as the address bar holds them (`/mirror?from=2026-01&partner=NL`): the form and
 * the query string mirror each other, so a reload, Back or a shared link shows the same. Every value
 * is trimmed, and then cleaned as its field says (upper-cased, spaces taken out); empty ones are left
 * out of the address, unknown parameters out of the filters.
 */
export interface AddressFilters<F extends string> {
  readonly fields: readonly F[];
  /** The filters in a query string (`?from=...` or `from=...`). */
  filtersOf(query: string): Record<F, string>;
  /** The query string of the filters, without `?` ('' when none is set). */
  queryOf(filters: Record<F, string>): string;
}

export function addressFilters<F extends string>(
  fields: readonly F[],
  clean: Partial<Record<F, (value: string) => string>> = {},
): AddressFilters<F> {
  const value = (field: F, raw: string | null | undefined) => {
    const trimmed = raw?.trim() ?? '';
    return clean[field]?.(trimmed) ?? trimmed;
  };
  return {
    fields,
    filtersOf(query) {
      const params = new URLSearchParams(query);
      return Object.fromEntries(fields.map((f) => [f, value(f, params.get(f))])) as Record<F, string>;
    },
    queryOf(filters) {
      const params = new URLSearchParams();
      for (const field of fields) {
        const v = value(field, filters[field]);
        if (v) params.set(field, v);
      }
      return params.toString();
    },
  };
}

/** `path` with the query string, if there is one. */
export const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

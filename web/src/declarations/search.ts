/**
 * A declaration search as the address bar holds it: the form's fields and the query string mirror
 * each other, so a reload, Back or a shared address gives the same search.
 */
export const searchFields = [
  'reference',
  'trader',
  'declarant',
  'hs',
  'office',
  'status',
  'lane',
  'from',
  'to',
] as const;
export type SearchField = (typeof searchFields)[number];
export type Search = Record<SearchField, string>;

export const noSearch: Search = {
  reference: '',
  trader: '',
  declarant: '',
  hs: '',
  office: '',
  status: '',
  lane: '',
  from: '',
  to: '',
};

/** The search in a query string (`?reference=...`); unknown parameters are left out. */
export function searchOf(query: string): Search {
  const params = new URLSearchParams(query);
  const search = { ...noSearch };
  for (const field of searchFields) search[field] = params.get(field)?.trim() ?? '';
  return search;
}

/** How a field is searched: an HS code as its digits ("7013.49" and "7013 49" are 701349). */
const searched = (field: SearchField, value: string) =>
  field === 'hs' ? value.replace(/[.\s]/g, '') : value.trim();

/** The query string of a search, its empty fields left out ('' when nothing is asked). */
export function queryOf(search: Search): string {
  const params = new URLSearchParams();
  for (const field of searchFields) {
    const value = searched(field, search[field]);
    if (value) params.set(field, value);
  }
  return params.toString();
}

export const searching = (search: Search): boolean => queryOf(search) !== '';

/** How the ledger page writes moments and subjects, and keeps its filter in the page's address. */

/** A moment as the application writes it everywhere (format.ts). */
export { moment as when } from '../format.ts';

/** The message of a failed request, to show in an alert. */
export const problemOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What an entry is about, as "declaration 12" or "reference_data". */
export const subjectOf = (e: { subjectKind: string; subjectId: string | null }) =>
  e.subjectId === null ? e.subjectKind : `${e.subjectKind} ${e.subjectId}`;

/** The filter as the address holds it: moments in ISO 8601 UTC, so that a link means the same anywhere. */
export interface Filter {
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  from: string;
  to: string;
}

const keys = ['actor', 'action', 'subjectKind', 'subjectId', 'from', 'to'] as const;

export const noFilter: Filter = { actor: '', action: '', subjectKind: '', subjectId: '', from: '', to: '' };

/** The filter of a query string (`?action=...`); anything else in it is ignored. */
export function filterOf(search: string): Filter {
  const query = new URLSearchParams(search);
  const filter = { ...noFilter };
  for (const key of keys) filter[key] = query.get(key)?.trim() ?? '';
  return filter;
}

/** The query string of a filter, its empty parts left out. */
export const searchOf = (filter: Filter) =>
  new URLSearchParams(keys.filter((k) => filter[k] !== '').map((k) => [k, filter[k]])).toString();

const two = (n: number) => String(n).padStart(2, '0');

/** An ISO moment as a `datetime-local` input shows it, in the reader's time zone; '' if it is none. */
export function localInput(iso: string): string {
  const d = new Date(iso);
  if (iso === '' || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** What a `datetime-local` input holds (the reader's time zone) as an ISO moment; '' if empty. */
export function isoOf(local: string): string {
  const d = new Date(local);
  return local === '' || Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

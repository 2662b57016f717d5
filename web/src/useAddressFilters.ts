import { useState, type FormEvent } from 'react';
import { withQuery, type AddressFilters } from './addressFilters.ts';
import type { Go } from './pages.ts';

/**
 * A page whose filters are its address (`page`): `shown` and `query` are what the address holds,
 * `form` what the person is typing (filled from the address), `set(field)` the change handler of a
 * field, and `submit` goes to the address of the form's filters, so the page shows them.
 */
export function useAddressFilters<F extends string>(filters: AddressFilters<F>, page: string, go: Go) {
  const shown = filters.filtersOf(window.location.search);
  const [form, setForm] = useState<Record<F, string>>(shown);
  const set = (field: F) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    go(withQuery(page, filters.queryOf(form)));
  }
  return { shown, query: filters.queryOf(shown), form, set, submit };
}

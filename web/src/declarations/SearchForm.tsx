import { useState } from 'react';
import { noSearch, type Search, type SearchField } from './search.ts';

const statuses = [
  'accepted',
  'amended',
  'controlled',
  'detained',
  'released',
  'seized',
  'refused',
  'cancelled',
];
const lanes = ['red', 'yellow', 'blue', 'green'];
// party and office codes are written in capitals: what is typed is shown as it will be searched
// (a reference is free text, searched ignoring case: it stays as typed)
const upper = new Set<SearchField>(['trader', 'declarant', 'office']);

/**
 * The declaration search form: typed fields, a status and a lane to choose, and a date range.
 * Enter in any field or the Search button searches; Clear empties the form and the search.
 */
export function SearchForm({ shown, onSearch }: { shown: Search; onSearch: (search: Search) => void }) {
  const [form, setForm] = useState<Search>(shown);
  const field = (name: SearchField, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input
        name={name}
        value={form[name]}
        onChange={(e) =>
          setForm((f) => ({ ...f, [name]: upper.has(name) ? e.target.value.toUpperCase() : e.target.value }))
        }
        {...extra}
      />
    </label>
  );
  const choice = (name: SearchField, label: string, options: string[]) => (
    <label>
      {label}
      <select
        name={name}
        value={form[name]}
        onChange={(e) => setForm((f) => ({ ...f, [name]: e.target.value }))}
      >
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="filters wrap search"
      role="search"
      aria-label="Search declarations"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(form);
      }}
    >
      {field('reference', 'Reference', { maxLength: '35', spellCheck: 'false' })}
      {field('trader', 'Trader', { maxLength: '35', spellCheck: 'false' })}
      {field('declarant', 'Declarant', { maxLength: '35', spellCheck: 'false' })}
      {field('hs', 'HS code starts with', { maxLength: '16', inputMode: 'decimal', spellCheck: 'false' })}
      {field('office', 'Office', { maxLength: '17', spellCheck: 'false' })}
      {choice('status', 'Status', statuses)}
      {choice('lane', 'Lane', lanes)}
      {field('from', 'From', { type: 'date' })}
      {field('to', 'To', { type: 'date' })}
      <button type="submit" className="primary">
        Search
      </button>
      <button
        type="button"
        onClick={() => {
          setForm(noSearch);
          onSearch(noSearch);
        }}
      >
        Clear
      </button>
    </form>
  );
}

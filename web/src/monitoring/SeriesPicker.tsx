import { useState, type FormEvent } from 'react';
import { useFetched } from '../useFetched.ts';
import { dimensionWords, measureWords, type Choice } from './address.ts';
import type { SeriesList } from './types.ts';

/**
 * The series to draw: period, measure, dimension and key (the keys the latest run forecast in that
 * dimension, largest first). Nothing changes until Show, so the keyboard can move through it freely.
 */
export function SeriesPicker({ shown, onShow }: { shown: Choice; onShow: (c: Choice) => void }) {
  const [form, setForm] = useState<Choice>(shown);
  const keys = useFetched<SeriesList>(
    form.dimension === 'total'
      ? null
      : `/api/monitoring/series?period=${form.period}&measure=${form.measure}&dimension=${form.dimension}`,
  );
  const options = form.dimension === 'total' ? [] : (keys.data?.series ?? []);
  const change = (patch: Partial<Choice>) => setForm((f) => ({ ...f, ...patch }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const key =
      form.dimension === 'total'
        ? 'total'
        : form.key.startsWith(`${form.dimension}:`)
          ? form.key
          : (options[0]?.key ?? '');
    if (key) onShow({ ...form, key });
  }

  return (
    <form className="filters wrap" aria-label="Series" onSubmit={submit}>
      <label>
        Period
        <select
          value={form.period}
          onChange={(e) => change({ period: e.target.value === 'week' ? 'week' : 'month' })}
        >
          <option value="month">Month</option>
          <option value="week">Week</option>
        </select>
      </label>
      <label>
        Measure
        <select
          value={form.measure}
          onChange={(e) =>
            change({
              measure:
                (Object.keys(measureWords) as Choice['measure'][]).find((m) => m === e.target.value) ??
                'declarations',
            })
          }
        >
          {Object.entries(measureWords).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dimension
        <select
          value={form.dimension}
          onChange={(e) => {
            const dimension =
              (Object.keys(dimensionWords) as Choice['dimension'][]).find((d) => d === e.target.value) ??
              'total';
            change({ dimension, key: dimension === 'total' ? 'total' : '' });
          }}
        >
          {Object.entries(dimensionWords).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </label>
      {form.dimension !== 'total' && (
        <label>
          Series
          <select value={form.key} onChange={(e) => change({ key: e.target.value })}>
            {form.key === '' && <option value="">Choose…</option>}
            {options.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
                {s.openAlerts > 0 ? ` (${s.openAlerts} open alert${s.openAlerts === 1 ? '' : 's'})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="primary" disabled={form.dimension !== 'total' && options.length === 0}>
        Show
      </button>
      {keys.problem && <p role="alert">{keys.problem}</p>}
    </form>
  );
}

import type { ReactNode } from 'react';
import { periods, type ScoreWindow } from './types.ts';

/**
 * The window of the scores: the dates apply with Show, the period (and any choice given as
 * `children`) at once.
 */
export function WindowForm({
  form,
  onChange,
  onShow,
  children,
}: {
  form: ScoreWindow;
  onChange: (patch: Partial<ScoreWindow>, now: boolean) => void;
  onShow: () => void;
  children?: ReactNode;
}) {
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        onShow();
      }}
    >
      <label>
        From
        <input type="date" value={form.from} onChange={(e) => onChange({ from: e.target.value }, false)} />
      </label>
      <label>
        To
        <input type="date" value={form.to} onChange={(e) => onChange({ to: e.target.value }, false)} />
      </label>
      <button type="submit">Show</button>
      <label>
        Period
        <select
          value={form.period}
          onChange={(e) => {
            const period = periods.find((p) => p === e.target.value);
            if (period) onChange({ period }, true);
          }}
        >
          {periods.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {children}
    </form>
  );
}

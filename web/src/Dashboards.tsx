import { useEffect, useState, type FormEvent } from 'react';
import { api } from './api.ts';
import { DeclarationsPanel, QualityPanel } from './DashboardPanels.tsx';
import {
  count,
  declarationDimensions,
  type DeclarationStats,
  type Period,
  type QualityStats,
} from './dashboards.ts';

interface Query {
  from: string;
  to: string;
  period: Period;
  by: string;
  currency: string;
  findingsBy: string;
}

const problemOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The query string of a request: empty values left out, so the server applies its defaults. */
const search = (values: Record<string, string>) =>
  new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();

/**
 * Declarations, their value and their duty over time by HS section or chapter, origin, office or
 * lane, and the quality of the data lodged: findings by field, finding or trader, and the share of
 * declarations with findings. Everyone sees only the declarations they may read. The dates apply with Show; the
 * other choices at once.
 */
export default function Dashboards() {
  const [form, setForm] = useState<Query>({
    from: '',
    to: '',
    period: 'month',
    by: 'section',
    currency: '',
    findingsBy: 'field',
  });
  const [query, setQuery] = useState(form);
  const [declarations, setDeclarations] = useState<DeclarationStats | null>(null);
  const [quality, setQuality] = useState<QualityStats | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const change = (patch: Partial<Query>, now: boolean) => {
    setForm((f) => ({ ...f, ...patch }));
    if (now) setQuery((q) => ({ ...q, ...patch }));
  };

  useEffect(() => {
    let current = true;
    const { from, to, period, by, currency } = query;
    api<DeclarationStats>(
      'GET',
      `/api/stats/declarations?${search({ from, to, period, by, currency })}`,
    ).then(
      (s) => {
        if (!current) return;
        setDeclarations(s);
        setProblem(null);
        // show the window the server chose when the dates were left empty
        setForm((f) => ({ ...f, from: f.from || s.from, to: f.to || s.to }));
      },
      (e: unknown) => current && setProblem(problemOf(e)),
    );
    return () => {
      current = false;
    };
  }, [query.from, query.to, query.period, query.by, query.currency]);

  useEffect(() => {
    let current = true;
    const { from, to, period, findingsBy } = query;
    api<QualityStats>('GET', `/api/stats/quality?${search({ from, to, period, by: findingsBy })}`).then(
      (s) => current && setQuality(s),
      (e: unknown) => current && setProblem(problemOf(e)),
    );
    return () => {
      current = false;
    };
  }, [query.from, query.to, query.period, query.findingsBy]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setQuery(form);
  }

  return (
    <section aria-labelledby="dashboards-title">
      <h1 id="dashboards-title">Dashboards</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          From
          <input type="date" value={form.from} onChange={(e) => change({ from: e.target.value }, false)} />
        </label>
        <label>
          To
          <input type="date" value={form.to} onChange={(e) => change({ to: e.target.value }, false)} />
        </label>
        <button type="submit">Show</button>
        <label>
          Period
          <select value={form.period} onChange={(e) => change({ period: e.target.value as Period }, true)}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <label>
          Break down by
          <select value={form.by} onChange={(e) => change({ by: e.target.value }, true)}>
            {declarationDimensions.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Currency of values
          <select value={form.currency} onChange={(e) => change({ currency: e.target.value }, true)}>
            <option value="">the most common</option>
            {declarations?.currencies.map((c) => (
              <option key={c.currency} value={c.currency}>
                {c.currency} ({count(c.declarations)})
              </option>
            ))}
          </select>
        </label>
      </form>
      {problem && <p role="alert">{problem}</p>}
      {declarations && <DeclarationsPanel stats={declarations} />}
      {quality && (
        <QualityPanel
          stats={quality}
          by={form.findingsBy}
          onBy={(findingsBy) => change({ findingsBy }, true)}
        />
      )}
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import { api } from './api.ts';
import { Lane } from './Lane.tsx';
import type { PageProps } from './pages.ts';
import { useShortcuts } from './shortcuts.ts';
import { usePaged } from './usePaged.ts';
import { AssignForm } from './WorkActions.tsx';

interface Item {
  id: number;
  functionalReference: string;
  trader: string;
  date: string;
  lane: string;
  riskScore: number;
  status: string;
  items: number;
  assignedTo: string | null;
}

type Held = 'all' | 'mine' | 'unassigned';

/**
 * The open red and yellow work of an office, highest risk first. From the keyboard: j/k (or the
 * arrows) move, Enter opens, m shows only your work. A supervisor ticks rows and assigns them.
 */
export default function Worklist({ user, open }: PageProps) {
  const [office, setOffice] = useState(user.offices[0] ?? '');
  const [held, setHeld] = useState<Held>('all');
  const [cursor, setCursor] = useState(0);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const table = useRef<HTMLTableSectionElement>(null);
  const supervising = user.role === 'supervisor';
  const paged = usePaged<Item, string>((after) =>
    office
      ? `/api/worklist?office=${encodeURIComponent(office)}&assigned=${held}&limit=50${after ? `&after=${after}` : ''}`
      : null,
  );
  const { items, next, load } = paged;

  useEffect(() => {
    setCursor(0);
    setPicked(new Set());
    void load();
  }, [held]);

  const focusRow = (i: number) => {
    const k = Math.max(0, Math.min(items.length - 1, i));
    setCursor(k);
    table.current?.querySelectorAll<HTMLButtonElement>('button.link')[k]?.focus();
  };
  useShortcuts({
    j: () => focusRow(cursor + 1),
    k: () => focusRow(cursor - 1),
    ArrowDown: () => focusRow(cursor + 1),
    ArrowUp: () => focusRow(cursor - 1),
    m: () => setHeld((h) => (h === 'mine' ? 'all' : 'mine')),
  });

  async function assignPicked(officer: string | null) {
    setProblem(null);
    const failed: string[] = [];
    for (const id of picked) {
      await api('POST', `/api/declarations/${id}/assign`, { officer }).catch((e: unknown) =>
        failed.push(`${id}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
    if (failed.length) setProblem(`not assigned: ${failed.join('; ')}`);
    setPicked(new Set());
    await load();
  }

  const toggle = (id: number) =>
    setPicked((old) => {
      const copy = new Set(old);
      if (!copy.delete(id)) copy.add(id);
      return copy;
    });

  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">Worklist</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          Office
          <input value={office} onChange={(e) => setOffice(e.target.value.toUpperCase())} />
        </label>
        <label>
          Show
          <select value={held} onChange={(e) => setHeld(e.target.value as Held)}>
            <option value="all">all work</option>
            <option value="mine">my work</option>
            <option value="unassigned">work nobody has taken</option>
          </select>
        </label>
        <button type="submit">Show</button>
        <span className="keys">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>m</kbd> my work
        </span>
      </form>
      {supervising && picked.size > 0 && (
        <div className="bulk">
          <span>{picked.size} selected</span>
          <AssignForm office={office} label="Assign selected to" onAssign={assignPicked} />
        </div>
      )}
      {(problem ?? paged.problem) && <p role="alert">{problem ?? paged.problem}</p>}
      <table>
        <thead>
          <tr>
            {supervising && (
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
            )}
            <th scope="col">Risk</th>
            <th scope="col">Lane</th>
            <th scope="col">Id</th>
            <th scope="col">Reference</th>
            <th scope="col">Trader</th>
            <th scope="col">Date</th>
            <th scope="col" className="number">
              Items
            </th>
            <th scope="col">Worked by</th>
          </tr>
        </thead>
        <tbody ref={table}>
          {items.map((d, i) => (
            <tr key={d.id} className={i === cursor ? 'current' : undefined}>
              {supervising && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${d.functionalReference}`}
                    checked={picked.has(d.id)}
                    onChange={() => toggle(d.id)}
                  />
                </td>
              )}
              <td>{d.riskScore.toFixed(2)}</td>
              <td>
                <Lane lane={d.lane} />
              </td>
              <td>{d.id}</td>
              <td>
                <button className="link" onFocus={() => setCursor(i)} onClick={() => open(d.id)}>
                  {d.functionalReference}
                </button>
              </td>
              <td>{d.trader}</td>
              <td>{d.date}</td>
              <td className="number">{d.items}</td>
              <td>{d.assignedTo ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !paged.problem && <p>Nothing waits for control here.</p>}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

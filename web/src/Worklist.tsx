import { useEffect, useRef, useState } from 'react';
import { api } from './api.ts';
import { Lane } from './Lane.tsx';
import type { PageProps } from './pages.ts';
import { useShortcuts } from './shortcuts.ts';
import { usePaged } from './usePaged.ts';
import { AssignForm } from './WorkActions.tsx';
import { Link } from './Link.tsx';
import { heldOf, usefulOffice, worklistRead, type Held } from './worklist-office.ts';
import { day } from './format.ts';

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

/**
 * The open red and yellow work of an office, highest risk first. From the keyboard: j/k (or the
 * arrows) move, Enter opens, m shows only your work. A supervisor ticks rows and assigns them.
 */
export default function Worklist(props: PageProps) {
  const asked = new URLSearchParams(window.location.search);
  const office = asked.get('office')?.trim().toUpperCase() ?? '';
  const held = heldOf(asked.get('assigned'));
  const { user, go } = props;

  // no office in the address: open on one with work, and say which in the address; unless the
  // user has gone to another page meanwhile (the answer then changes nothing)
  useEffect(() => {
    if (office) return;
    let live = true;
    usefulOffice(user).then(
      (chosen) => live && chosen && go(worklistPath(chosen, 'all'), { replace: true }),
      () => undefined, // the form stays, to name an office
    );
    return () => {
      live = false;
    };
  }, []);

  return <OfficeWork {...props} office={office} held={held} />;
}

const worklistPath = (office: string, held: Held) =>
  `/worklist?office=${encodeURIComponent(office)}${held === 'all' ? '' : `&assigned=${held}`}`;

function OfficeWork({ user, open, go, office, held }: PageProps & { office: string; held: Held }) {
  const [typed, setTyped] = useState(office);
  const [cursor, setCursor] = useState(0);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const table = useRef<HTMLTableSectionElement>(null);
  const supervising = user.role === 'supervisor';
  // the first page may have been asked for already, while the session was checked
  const paged = usePaged<Item, string>((after) => (office ? worklistRead(office, held, after) : null), {
    early: true,
  });
  const { items, next, load } = paged;
  const show = (at: string, h: Held) => go(worklistPath(at, h));

  useEffect(() => {
    void load();
  }, []);

  const focusRow = (i: number) => {
    const k = Math.max(0, Math.min(items.length - 1, i));
    setCursor(k);
    table.current?.querySelectorAll<HTMLAnchorElement>('a.link')[k]?.focus();
  };
  useShortcuts({
    j: () => focusRow(cursor + 1),
    k: () => focusRow(cursor - 1),
    ArrowDown: () => focusRow(cursor + 1),
    ArrowUp: () => focusRow(cursor - 1),
    m: () => office && show(office, held === 'mine' ? 'all' : 'mine'),
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
          if (typed.trim()) show(typed.trim(), held);
        }}
      >
        <label>
          Office
          <input value={typed} onChange={(e) => setTyped(e.target.value.toUpperCase())} maxLength={17} />
        </label>
        <label>
          Show
          <select value={held} onChange={(e) => show(typed.trim() || office, e.target.value as Held)}>
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
                <Link
                  className="link"
                  href={`/declarations/${d.id}`}
                  onFocus={() => setCursor(i)}
                  follow={() => open(d.id)}
                >
                  {d.functionalReference}
                </Link>
              </td>
              <td>{d.trader}</td>
              <td>{day(d.date)}</td>
              <td className="number">{d.items}</td>
              <td>{d.assignedTo ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !paged.problem && (
        <p>{office ? 'Nothing waits for control here.' : 'Name an office to see its work.'}</p>
      )}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

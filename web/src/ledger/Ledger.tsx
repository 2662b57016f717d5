import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { api } from '../api.ts';
import type { PageProps } from '../pages.ts';
import { usePaged } from '../usePaged.ts';
import { Checkpoints } from './Checkpoints.tsx';
import { EntryDetail } from './EntryDetail.tsx';
import { filterOf, isoOf, localInput, problemOf, searchOf, subjectOf, when, type Filter } from './format.ts';
import { subjectKinds, type LedgerEntry } from './types.ts';
import { Verification } from './Verification.tsx';

const pageSize = 50;

/**
 * The ledger, for auditors: its entries in seq order, a page at a time, narrowed by actor, action,
 * subject and time range (the filter lives in the page's address, so a link shows the same
 * entries); an entry opens beside the list with its data and hashes. Verification runs on demand
 * and says plainly whether the chain holds or where it broke; the signed checkpoints are listed,
 * each to download as the JSON file partners receive.
 */
export default function Ledger({ go, open }: PageProps) {
  // the page is drawn anew whenever its address changes, so the address is read once
  const [shown] = useState(() => filterOf(window.location.search));
  const [form, setForm] = useState<Filter>(shown);
  const [opened, setOpened] = useState<LedgerEntry | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const { items, next, problem, load } = usePaged<LedgerEntry, number>((after) => {
    const query = new URLSearchParams(searchOf(shown));
    query.set('limit', String(pageSize));
    if (after !== undefined) query.set('after', String(after));
    return `/api/ledger?${query}`;
  });

  useEffect(() => {
    void load();
  }, []);

  // a plain click opens the declaration in the application; a middle or modified click, a new tab
  const follow = (id: number) => (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    open(id);
  };

  const change = (patch: Partial<Filter>) => setForm((f) => ({ ...f, ...patch }));
  const filtered = searchOf(shown) !== '';

  function submit(event: FormEvent) {
    event.preventDefault();
    const search = searchOf({
      ...form,
      actor: form.actor.trim(),
      action: form.action.trim(),
      subjectId: form.subjectId.trim(),
    });
    go(search ? `/ledger?${search}` : '/ledger');
  }

  /** Opens the entry of a seq that may not be listed (verification names one). */
  async function openSeq(seq: number) {
    setOpening(null);
    try {
      const page = await api<{ items: LedgerEntry[] }>('GET', `/api/ledger?after=${seq - 1}&limit=1`);
      const entry = page.items[0];
      if (entry?.seq === seq) setOpened(entry);
      else setOpening(`The ledger holds no entry ${seq}: it was removed.`);
    } catch (e) {
      setOpening(problemOf(e));
    }
  }

  return (
    <section aria-labelledby="ledger-title">
      <h1 id="ledger-title">Ledger</h1>
      <p className="hint">
        Every change, and every official read of sensitive data, in the order it was recorded. Each entry
        carries the hash of the one before it, so that altering, removing or reordering any of them shows when
        the ledger is verified.
      </p>
      <Verification onOpen={(seq) => void openSeq(seq)} />
      {opening && <p role="alert">{opening}</p>}
      <div className={opened ? 'split' : undefined}>
        <section aria-labelledby="entries-title">
          <h2 id="entries-title">Entries</h2>
          <form className="filters wrap" onSubmit={submit} aria-label="Filter the entries">
            <label>
              Actor
              <input
                value={form.actor}
                onChange={(e) => change({ actor: e.target.value })}
                placeholder="any"
              />
            </label>
            <label>
              Action
              <input
                value={form.action}
                onChange={(e) => change({ action: e.target.value })}
                placeholder="any"
              />
            </label>
            <label>
              Subject kind
              <select value={form.subjectKind} onChange={(e) => change({ subjectKind: e.target.value })}>
                <option value="">any</option>
                {subjectKinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Subject id
              <input
                value={form.subjectId}
                onChange={(e) => change({ subjectId: e.target.value })}
                placeholder="any"
              />
            </label>
            <label>
              From
              <input
                type="datetime-local"
                value={localInput(form.from)}
                onChange={(e) => change({ from: isoOf(e.target.value) })}
              />
            </label>
            <label>
              Before
              <input
                type="datetime-local"
                value={localInput(form.to)}
                onChange={(e) => change({ to: isoOf(e.target.value) })}
              />
            </label>
            <button type="submit">Show</button>
            {filtered && (
              <button type="button" onClick={() => go('/ledger')}>
                Show all
              </button>
            )}
          </form>
          {problem && <p role="alert">{problem}</p>}
          <div className="scroll">
            <table aria-labelledby="entries-title" className="ledger-entries">
              <thead>
                <tr>
                  <th scope="col" className="number">
                    Seq
                  </th>
                  <th scope="col">Written</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => {
                  const open = e.seq === opened?.seq;
                  return (
                    <tr key={e.seq} className={open ? 'open' : undefined}>
                      <th scope="row" className="number">
                        <button
                          className="link"
                          aria-current={open ? 'true' : undefined}
                          aria-label={`Entry ${e.seq}`}
                          onClick={() => setOpened(e)}
                        >
                          {e.seq}
                        </button>
                      </th>
                      <td>
                        <time dateTime={e.at}>{when(e.at)}</time>
                      </td>
                      <td className="breaks">{e.actor}</td>
                      <td className="breaks">{e.action}</td>
                      <td className="breaks">
                        {e.subjectKind === 'declaration' && /^\d+$/.test(e.subjectId ?? '') ? (
                          <a
                            className="link"
                            href={`/declarations/${e.subjectId}`}
                            onClick={follow(Number(e.subjectId))}
                          >
                            {subjectOf(e)}
                          </a>
                        ) : (
                          subjectOf(e)
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {items.length === 0 && !problem && (
            <p>{filtered ? 'No entry matches this filter.' : 'The ledger has no entry yet.'}</p>
          )}
          {next !== null && <button onClick={() => void load(next)}>More entries</button>}
        </section>
        {opened && <EntryDetail entry={opened} onClose={() => setOpened(null)} />}
      </div>
      <Checkpoints />
    </section>
  );
}

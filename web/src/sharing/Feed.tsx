import { useEffect, useState, type FormEvent } from 'react';
import { api, problemOf } from '../api.ts';
import { day } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import { Aggregates } from './Aggregates.tsx';
import { downloadFile } from './download.ts';
import { FeedTable } from './FeedTable.tsx';
import type { AgreementsInForce, FeedPage, SharedDeclaration } from './types.ts';

interface Shown {
  agreement: number;
  from: string;
  to: string;
}

const feedPath = (s: Shown, extra: Record<string, string>) => {
  const query = new URLSearchParams({ agreement: String(s.agreement), ...extra });
  if (s.from) query.set('from', s.from);
  if (s.to) query.set('to', s.to);
  return `/api/sharing/feed?${query}`;
};

/**
 * The feed of a partner agency: an agreement in force picked, declaration dates to narrow it, a page
 * of the shared declarations with the granted fields only, the next page, and the same as a JSON
 * Lines file. Every page read here is a delivery in the agency's access log.
 */
export default function Feed() {
  const agreements = useFetched<AgreementsInForce>('/api/sharing/feed/agreements');
  const [form, setForm] = useState<Shown>({ agreement: 0, from: '', to: '' });
  const [shown, setShown] = useState<Shown | null>(null);
  const [page, setPage] = useState<{ items: SharedDeclaration[]; next: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const list = agreements.data?.items ?? [];
  const chosen = list.find((a) => a.id === (shown ?? form).agreement);

  useEffect(() => {
    const first = list[0];
    if (form.agreement === 0 && first) setForm((f) => ({ ...f, agreement: first.id }));
  }, [agreements.data]);

  async function read(s: Shown, cursor?: string) {
    setProblem(null);
    try {
      const answer = await api<FeedPage>('GET', feedPath(s, { limit: '50', ...(cursor ? { cursor } : {}) }));
      setPage({
        items: answer.items as SharedDeclaration[],
        next: answer.hasMore ? answer.nextCursor : null,
      });
    } catch (e) {
      setPage(null);
      setProblem(problemOf(e));
    }
  }

  function show(e: FormEvent) {
    e.preventDefault();
    setShown(form);
    setPage(null);
    const agreement = list.find((a) => a.id === form.agreement);
    if (agreement && agreement.level !== 'aggregated') void read(form);
  }

  async function download(s: Shown) {
    setProblem(null);
    try {
      await downloadFile(
        feedPath(s, { limit: '1000' }),
        'application/x-ndjson',
        `agreement-${s.agreement}.jsonl`,
      );
    } catch (e) {
      setProblem(`The JSON Lines file could not be downloaded: ${problemOf(e)}`);
    }
  }

  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">Feed</h1>
      {agreements.problem && <p role="alert">{agreements.problem}</p>}
      {agreements.data && list.length === 0 && (
        <p>
          {agreements.data.agency
            ? 'Your agency has no agreement in force.'
            : 'Your account belongs to no agency.'}
        </p>
      )}
      {list.length > 0 && (
        <form className="filters" onSubmit={show}>
          <label>
            Agreement
            <select
              value={form.agreement}
              onChange={(e) => setForm({ ...form, agreement: Number(e.target.value) })}
            >
              {list.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.id}: {a.purpose} ({a.level})
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input
              type="date"
              value={form.from}
              onChange={(e) => setForm({ ...form, from: e.target.value })}
            />
          </label>
          <label>
            To
            <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
          </label>
          <button type="submit">Show</button>
        </form>
      )}
      {chosen && (
        <p>
          In force {day(chosen.validFrom)} to {day(chosen.validTo)}; {chosen.level}; delivered by{' '}
          {chosen.delivery}.
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
      {shown && chosen?.level === 'aggregated' && (
        <Aggregates agreement={shown.agreement} from={shown.from} to={shown.to} />
      )}
      {shown && chosen && page && (
        <>
          <p>
            {page.items.length === 0 ? 'No declarations on this page.' : `${page.items.length} declarations.`}{' '}
            <button type="button" onClick={() => void download(shown)}>
              Download JSON Lines
            </button>
          </p>
          <FeedTable fields={chosen.fields} items={page.items} />
          {page.next && (
            <button type="button" onClick={() => void read(shown, page.next ?? undefined)}>
              Next page
            </button>
          )}
        </>
      )}
    </section>
  );
}

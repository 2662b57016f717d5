import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, RequestFailed } from './api.ts';
import { moment } from './format.ts';
import type { Hold } from './retention/types.ts';
import { useUnsaved } from './useUnsaved.ts';

/** Who learns whether a declaration is under legal hold: officials, never traders or declarants. */
export const holdReaders: readonly string[] = [
  'officer',
  'supervisor',
  'risk_analyst',
  'auditor',
  'administrator',
];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Whether a declaration is under legal hold, by whom and why; supervisors of the declaration's
 * office and administrators place a hold or release it, each with a reason kept on the ledger.
 */
export function LegalHold({ id }: { id: number }) {
  const [hold, setHold] = useState<Hold | null | undefined>(undefined);
  // what the server says this caller may do with the hold: place it, release it, or nothing
  const [allowed, setAllowed] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const reasonHint = useId();
  useUnsaved(reason.trim() !== '');

  async function load() {
    try {
      const found = await api<{ hold: Hold | null; allowed: string[] }>(
        'GET',
        `/api/declarations/${id}/legal-hold`,
      );
      setHold(found.hold);
      setAllowed(found.allowed);
    } catch (e) {
      setProblem(message(e));
    }
  }

  useEffect(() => {
    void load();
  }, [id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const path = `/api/declarations/${id}/legal-hold${hold ? '/release' : ''}`;
      await api<Hold>('POST', path, { reason });
      setReason('');
      await load();
    } catch (err) {
      setProblem(message(err));
      // someone else placed or released it meanwhile: show what stands now
      if (err instanceof RequestFailed && err.problem.status === 409) await load();
    }
  }

  return (
    <section className="hold" aria-labelledby="hold-title">
      <h2 id="hold-title">Legal hold</h2>
      <p role="status">
        {hold ? (
          <>
            <strong>Under legal hold</strong> since{' '}
            <time dateTime={hold.placedAt}>{moment(hold.placedAt)}</time> by {hold.placedBy}: {hold.reason}
          </>
        ) : hold === null ? (
          'Not held'
        ) : (
          !problem && 'Loading…'
        )}
      </p>
      {allowed.length > 0 && hold !== undefined && (
        <form className="inline" onSubmit={submit} aria-label={hold ? 'Release the hold' : 'Place a hold'}>
          <label>
            {hold ? 'Why release it' : 'Why hold it'}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={2000}
              size={40}
              aria-describedby={reasonHint}
            />
          </label>
          <button type="submit">{hold ? 'Release the hold' : 'Place a legal hold'}</button>
          <span id={reasonHint} className="hint">
            A case or order reference; it is kept on the ledger.
          </span>
        </form>
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

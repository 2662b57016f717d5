import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { when } from './format.ts';
import type { Policy } from './types.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * How long each class of data is kept and from when its clock starts; administrators change a
 * period in place, and a refusal (an unreadable period, one that would purge held declarations)
 * is shown at the row with the server's words.
 */
export function Policies() {
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [mayEdit, setMayEdit] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const hint = useId();

  useEffect(() => {
    api<{ policies: Policy[]; allowed: string[] }>('GET', '/api/retention/policies').then(
      (r) => {
        setPolicies(r.policies);
        setMayEdit(r.allowed.includes('set'));
      },
      (e: unknown) => setProblem(message(e)),
    );
  }, []);

  function saved(p: Policy) {
    setPolicies((old) => old.map((o) => (o.dataClass === p.dataClass ? p : o)));
    setDone(`${p.dataClass} is now kept for ${p.period}.`);
  }

  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Retention periods</h2>
      {mayEdit && (
        <p className="hint" id={hint}>
          A period is a count and a unit, such as 10y, 6m or 30d, or forever. A period that would purge a
          declaration under legal hold is refused: release the hold first.
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
      {mayEdit && <p role="status">{done}</p>}
      <table aria-labelledby="policies-title">
        <thead>
          <tr>
            <th scope="col">Data</th>
            <th scope="col">Kept for</th>
            <th scope="col">What it holds</th>
            <th scope="col">Counted from</th>
            <th scope="col">Last changed</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.dataClass}>
              <th scope="row">{p.dataClass}</th>
              <td>
                {mayEdit ? (
                  <PeriodForm policy={p} hint={hint} onSaved={saved} onEdit={() => setDone(null)} />
                ) : (
                  p.period
                )}
              </td>
              <td>{p.holds}</td>
              <td>{p.countedFrom}</td>
              <td>
                {p.updatedBy}, <time dateTime={p.updatedAt}>{when(p.updatedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PeriodForm({
  policy,
  hint,
  onSaved,
  onEdit,
}: {
  policy: Policy;
  hint: string;
  onSaved: (p: Policy) => void;
  onEdit: () => void;
}) {
  const [keep, setKeep] = useState(policy.keep);
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const p = await api<Policy>('PUT', `/api/retention/policies/${encodeURIComponent(policy.dataClass)}`, {
        keep: keep.trim(),
      });
      setKeep(p.keep);
      onSaved(p);
    } catch (err) {
      setProblem(message(err));
    }
  }

  return (
    <>
      <form className="inline period" onSubmit={submit}>
        <span>{policy.period}</span>
        <input
          aria-label={`Keep ${policy.dataClass} for`}
          value={keep}
          size={8}
          maxLength={16}
          required
          onChange={(e) => {
            setKeep(e.target.value);
            setProblem(null);
            onEdit();
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${problemId} ${hint}` : hint}
        />
        <button
          type="submit"
          disabled={keep.trim() === policy.keep}
          aria-label={`Save the period of ${policy.dataClass}`}
        >
          Save
        </button>
      </form>
      {problem && (
        <p role="alert" id={problemId} className="problem">
          {problem}
        </p>
      )}
    </>
  );
}

import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';
import { roleName, roles } from './types.ts';

interface Described {
  label: string;
  hint?: string;
  /** The server's words about this field, shown under it. */
  problem?: string;
}

/** The ids a control points to: its problem first, then its hint. */
function useDescription(hint?: string, problem?: string) {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [problem && problemId, hint && hintId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, problemId, describedBy };
}

function Notes({ hint, problem, ids }: Described & { ids: { hintId: string; problemId: string } }) {
  return (
    <>
      {hint && (
        <span className="hint" id={ids.hintId}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="problem" role="alert" id={ids.problemId}>
          {problem}
        </span>
      )}
    </>
  );
}

/** A labelled input with its hint and, once the server refused it, the problem. */
export function Field({ label, hint, problem, ...input }: Described & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useDescription(hint, problem);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <input
        id={ids.id}
        {...input}
        aria-invalid={problem ? true : undefined}
        aria-describedby={ids.describedBy}
      />
      <Notes hint={hint} problem={problem} label={label} ids={ids} />
    </div>
  );
}

/** The role of a user, as a choice among every role. */
export function RoleField({
  label,
  hint,
  problem,
  ...select
}: Described & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useDescription(hint, problem);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <select
        id={ids.id}
        {...select}
        aria-invalid={problem ? true : undefined}
        aria-describedby={ids.describedBy}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleName(r)}
          </option>
        ))}
      </select>
      <Notes hint={hint} problem={problem} label={label} ids={ids} />
    </div>
  );
}

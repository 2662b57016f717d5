import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, get, problemOf, RequestFailed } from '../api.ts';
import { moment } from '../format.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { Field } from '../users/Field.tsx';
import { noProblems, problemsOf, type Problems } from '../users/problems.ts';
import { findingWords, kindWords, severityWords, type AgencyFinding } from './findingWords.ts';

const fields = ['declarationId', 'kind', 'severity', 'text'];
const textMax = 2000;

/**
 * A partner agency's Findings page: what it found on a declaration it received, sent to customs,
 * and the list of what it sent, newest first. Every refusal of the server is shown at its field.
 */
export default function Findings() {
  const [findings, setFindings] = useState<AgencyFinding[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  async function load() {
    try {
      const page = await get<{ findings: AgencyFinding[] }>('/api/sharing/findings?limit=200');
      setFindings(page.findings);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <article aria-labelledby="findings-page-title">
      <h1 id="findings-page-title">Findings</h1>
      <p>Tell customs what your agency found on a declaration it received.</p>
      <FindingForm
        onSent={async (f) => {
          setSent(`Finding ${f.id} sent on declaration ${f.declarationId}.`);
          await load();
        }}
      />
      {sent && (
        <p role="status" className="notice">
          {sent}
        </p>
      )}
      <section aria-labelledby="findings-list-title">
        <h2 id="findings-list-title">Findings sent</h2>
        {problem && <p role="alert">{problem}</p>}
        {findings === null ? (
          !problem && <p>Loading…</p>
        ) : findings.length === 0 ? (
          <p>Your agency has sent no findings.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Sent</th>
                <th scope="col">Declaration</th>
                <th scope="col">Finding</th>
                <th scope="col">Text</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.id}>
                  <td>
                    <time dateTime={f.createdAt}>{moment(f.createdAt)}</time>
                  </td>
                  <td>{f.declarationId}</td>
                  <td>{findingWords(f)}</td>
                  <td>{f.text}</td>
                  <td>{f.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}

/** The form of one finding; a declaration the agency did not receive is refused at its field. */
function FindingForm({ onSent }: { onSent: (f: AgencyFinding) => Promise<void> }) {
  const [declarationId, setDeclarationId] = useState('');
  const [kind, setKind] = useState('sanitary_hold');
  const [severity, setSeverity] = useState('medium');
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<Problems>(noProblems);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useUnsaved(declarationId !== '' || text !== '');
  // the first field the server refused gets the focus, its problem read out with it
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    const id = /^\d{1,16}$/.test(declarationId.trim()) ? Number(declarationId.trim()) : declarationId;
    setBusy(true);
    try {
      const f = await api<AgencyFinding>('POST', '/api/sharing/findings', {
        declarationId: id,
        kind,
        severity,
        text,
      });
      setDeclarationId('');
      setText('');
      await onSent(f);
    } catch (err) {
      if (err instanceof RequestFailed && err.problem.error === 'declaration_not_found')
        setProblems({ fields: { declarationId: err.problem.message }, general: null });
      else setProblems(problemsOf(err, fields));
    } finally {
      setBusy(false);
    }
  }

  const p = problems.fields;
  return (
    <form ref={form} onSubmit={submit} aria-label="Send a finding" className="finding-form">
      {problems.general && <p role="alert">{problems.general}</p>}
      <Field
        label="Declaration"
        hint="The id of a declaration your agency received"
        inputMode="numeric"
        value={declarationId}
        onChange={(e) => setDeclarationId(e.target.value)}
        problem={p.declarationId}
        required
      />
      <Choice label="Kind" value={kind} onChange={setKind} options={kindWords} problem={p.kind} />
      <Choice
        label="Severity"
        value={severity}
        onChange={setSeverity}
        options={severityWords}
        problem={p.severity}
      />
      <TextField value={text} onChange={setText} problem={p.text} />
      <button type="submit" disabled={busy}>
        Send the finding
      </button>
    </form>
  );
}

function Choice({
  label,
  value,
  onChange,
  options,
  problem,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: Record<string, string>;
  problem?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      >
        {Object.entries(options).map(([code, words]) => (
          <option key={code} value={code}>
            {words}
          </option>
        ))}
      </select>
      {problem && (
        <span className="problem" role="alert" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

function TextField({
  value,
  onChange,
  problem,
}: {
  value: string;
  onChange: (v: string) => void;
  problem?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field wide">
      <label htmlFor={id}>What was found</label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={4}
        maxLength={textMax}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
      />
      <span className="hint" id={`${id}-hint`}>
        Up to {textMax} characters; customs officials read it, the trader does not
      </span>
      {problem && (
        <span className="problem" role="alert" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

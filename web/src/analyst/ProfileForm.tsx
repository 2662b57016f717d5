import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, RequestFailed } from '../api.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { ConditionsEditor } from './ConditionsEditor.tsx';
import { placeProblems, ProblemText, problemsOf, type Described, type Problem } from './problems.tsx';
import {
  emptyParts,
  emptyRow,
  toCondition,
  toRow,
  type ConditionRow,
  type Definition,
  type FieldSpec,
  type Profile,
} from './profiles.ts';

const lanes = ['red', 'yellow', 'blue', 'green'];
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Writes a new profile, or a new version of `revising` (same code): either way a draft. The server
 * checks the profile; each problem it names is shown next to the input it concerns.
 */
export function ProfileForm({
  fields,
  revising,
  onSaved,
  onCancel,
}: {
  fields: FieldSpec[];
  revising?: Definition;
  onSaved: (p: Profile) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [code, setCode] = useState(revising?.code ?? '');
  const [name, setName] = useState(revising?.name ?? '');
  const [lane, setLane] = useState(revising?.lane ?? 'yellow');
  const [weight, setWeight] = useState(String(revising?.weight ?? 50));
  const [reason, setReason] = useState(revising?.reason ?? '');
  const [validFrom, setValidFrom] = useState(revising?.validFrom ?? today());
  const [validTo, setValidTo] = useState(revising?.validTo ?? '');
  const [rows, setRows] = useState<ConditionRow[]>(revising ? revising.conditions.map(toRow) : [emptyRow()]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [edited, setEdited] = useState(false);
  const [saving, setSaving] = useState(false);
  useUnsaved(edited && !saving);
  const form = useRef<HTMLFormElement>(null);
  // each refusal takes the focus to the first input it marks
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  const placed = placeProblems(problems, id);
  const { at, described } = placed;
  const kindOf = (field: string) => fields.find((f) => f.name === field)?.kind;

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblems([]);
    setFailure(null);
    // a row left empty is named at its place and nothing is sent
    const empty = emptyParts(rows);
    if (empty.length) {
      setProblems(empty);
      setFailure('The profile was not saved: complete or remove the empty condition.');
      setRefusals((n) => n + 1);
      return;
    }
    const body = {
      code: code.trim(),
      name,
      lane,
      weight: weight.trim() !== '' && Number.isFinite(Number(weight)) ? Number(weight) : weight,
      reason,
      validFrom,
      ...(validTo ? { validTo } : {}),
      conditions: rows.map((r) => toCondition(r, kindOf(r.field))),
    };
    setSaving(true);
    try {
      const saved = await api<Profile>('POST', '/api/risk/profiles', body);
      setEdited(false);
      onSaved(saved);
    } catch (e) {
      setSaving(false);
      if (!(e instanceof RequestFailed))
        return setFailure('The server could not be reached; nothing was saved.');
      const found = problemsOf(e.problem.details);
      setProblems(found);
      setFailure(found.length ? 'The profile was not saved: correct the marked fields.' : e.message);
      setRefusals((n) => n + 1);
    }
  }

  const input = (label: string, path: string, control: (attrs: Described) => ReactNode, hint?: string) => (
    <div className="profile-field">
      <label>
        {label}
        {control({ ...described(path) })}
      </label>
      {hint && <span className="hint">{hint}</span>}
      <ProblemText id={placed.id(path)} messages={at(path)} />
    </div>
  );

  return (
    <form
      ref={form}
      className="profile-form"
      onSubmit={save}
      onChange={() => setEdited(true)}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`}>{revising ? `New version of ${revising.code}` : 'New profile'}</h2>
      {failure && <p role="alert">{failure}</p>}
      {placed.elsewhere.length > 0 && (
        <ul className="problems">
          {placed.elsewhere.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="form-grid">
        {input(
          'Code',
          'code',
          (a) => (
            <input
              {...a}
              value={code}
              readOnly={revising !== undefined}
              maxLength={40}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
            />
          ),
          revising ? 'A new version keeps the code.' : undefined,
        )}
        {input('Name', 'name', (a) => (
          <input {...a} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        ))}
        {input('Lane', 'lane', (a) => (
          <select {...a} value={lane} onChange={(e) => setLane(e.target.value)}>
            {lanes.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        ))}
        {input('Weight (1–100)', 'weight', (a) => (
          <input
            {...a}
            type="number"
            min={1}
            max={100}
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
          />
        ))}
        {input('Valid from', 'validFrom', (a) => (
          <input {...a} type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />
        ))}
        {input('Valid to (optional)', 'validTo', (a) => (
          <input {...a} type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
        ))}
      </div>
      {input('Reason shown to the officer', 'reason', (a) => (
        <textarea
          {...a}
          value={reason}
          maxLength={500}
          rows={2}
          onChange={(e) => setReason(e.target.value)}
        />
      ))}

      <ConditionsEditor
        fields={fields}
        rows={rows}
        setRows={(update) => {
          setEdited(true);
          setRows(update);
        }}
        problems={placed}
      />
      <div className="actions">
        <button type="submit" className="primary">
          Save draft
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

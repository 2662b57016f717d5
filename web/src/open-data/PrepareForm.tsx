import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, RequestFailed } from '../api.ts';
import { Field } from '../users/Field.tsx';
import { useUnsaved } from '../useUnsaved.ts';
import type { DisclosureParameters, Release } from './types.ts';

/** The parameters a release is prepared with unless the analyst changes them (the server's defaults). */
export const defaults: DisclosureParameters = {
  minTraders: 3,
  dominance: [
    { n: 1, k: 85 },
    { n: 2, k: 95 },
  ],
  protectionPercent: 20,
};

interface Form {
  from: string;
  to: string;
  currency: string;
  minTraders: string;
  dominance: { n: string; k: string }[];
  protectionPercent: string;
  correctionNote: string;
}

const formOf = (from: string, to: string, currency: string, p: DisclosureParameters): Form => ({
  from,
  to,
  currency,
  minTraders: String(p.minTraders),
  dominance: p.dominance.map((r) => ({ n: String(r.n), k: String(r.k) })),
  protectionPercent: String(p.protectionPercent),
  correctionNote: '',
});

const month = /^\d{4}-(0[1-9]|1[0-2])$/;
const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);
const decimal = (s: string) => (/^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : NaN);

/** What is wrong with each field, in the server's words, before asking it. */
function check(f: Form, correction: boolean): Record<string, string> {
  const p: Record<string, string> = {};
  if (!month.test(f.from)) p.from = 'from must be a month as YYYY-MM';
  if (!month.test(f.to)) p.to = 'to must be a month as YYYY-MM';
  else if (month.test(f.from) && f.to < f.from) p.to = 'to must not be before from';
  if (!/^[A-Z]{3}$/.test(f.currency.trim().toUpperCase()))
    p.currency = 'currency must be an ISO 4217 code of three letters';
  const t = whole(f.minTraders);
  if (!(t >= 1 && t <= 100)) p.minTraders = 'minTraders must be a whole number from 1 to 100';
  f.dominance.forEach((r, i) => {
    const n = whole(r.n);
    const k = decimal(r.k);
    if (!(n >= 1 && n <= 5)) p[`dominance.${i}.n`] = `dominance[${i}].n must be a whole number from 1 to 5`;
    if (!(k > 0 && k < 100))
      p[`dominance.${i}.k`] = `dominance[${i}].k must be a percentage above 0 and below 100`;
  });
  const q = decimal(f.protectionPercent);
  if (!(q >= 0 && q <= 100)) p.protectionPercent = 'protectionPercent must be from 0 to 100';
  if (correction && !f.correctionNote.trim()) p.correctionNote = 'say what this version corrects';
  if (f.correctionNote.length > 2000) p.correctionNote = 'at most 2,000 characters';
  return p;
}

/**
 * The field a refusal is about: the server's message starts with the field's name ("minTraders must
 * …", "dominance[1].k must …"), names it in brackets ("(correctionNote)"), or, for a body that does
 * not match the schema, lists each path.
 */
function placed(e: unknown): { fields: Record<string, string>; general: string | null } {
  if (!(e instanceof RequestFailed))
    return { fields: {}, general: e instanceof Error ? e.message : String(e) };
  const { message, details } = e.problem;
  const fieldOf = (text: string): string | null => {
    const d = /^(?:parameters[./])?dominance[[./](\d)\]?[./]([nk])\b/.exec(text);
    if (d) return `dominance.${d[1]}.${d[2]}`;
    const f = /^(?:parameters[./])?(from|to|currency|minTraders|protectionPercent|correctionNote)\b/.exec(
      text,
    );
    if (f?.[1]) return f[1];
    if (/\(correctionNote\)/.test(text)) return 'correctionNote';
    if (/at most 12 months/.test(text)) return 'to';
    return null;
  };
  const fields: Record<string, string> = {};
  if (Array.isArray(details))
    for (const d of details as { path?: string; message?: string }[]) {
      const field = d.path ? fieldOf(d.path) : null;
      if (field) fields[field] = `${d.path} ${d.message ?? 'is invalid'}`;
    }
  const field = fieldOf(message);
  if (field && !fields[field]) fields[field] = message;
  return { fields, general: Object.keys(fields).length > 0 ? null : message };
}

/**
 * Prepares a release: its months and currency, and the disclosure parameters with their defaults
 * filled in. As a correction of a published release, the months are that release's and a note says
 * what the new version corrects.
 */
export function PrepareForm({
  correcting,
  onPrepared,
  onCancel,
}: {
  /** The published release this prepares a new version of. */
  correcting?: Release;
  onPrepared: (r: Release) => void;
  onCancel?: () => void;
}) {
  const initial = correcting
    ? formOf(correcting.periodFrom, correcting.periodTo, correcting.currency, correcting.parameters)
    : formOf('', '', 'USD', defaults);
  const [form, setForm] = useState<Form>(initial);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  useUnsaved(JSON.stringify(form) !== JSON.stringify(initial) && !busy);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fields]);

  const set =
    (field: 'from' | 'to' | 'currency' | 'minTraders' | 'protectionPercent' | 'correctionNote') =>
    (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [field]: e.target.value }));
  const setRule = (i: number, part: 'n' | 'k') => (e: { target: { value: string } }) =>
    setForm((f) => ({
      ...f,
      dominance: f.dominance.map((r, j) => (j === i ? { ...r, [part]: e.target.value } : r)),
    }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setGeneral(null);
    const problems = check(form, Boolean(correcting));
    setFields(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const release = await api<Release>('POST', '/api/open-data/releases', {
        from: form.from,
        to: form.to,
        currency: form.currency.trim().toUpperCase(),
        parameters: {
          minTraders: whole(form.minTraders),
          dominance: form.dominance.map((r) => ({ n: whole(r.n), k: decimal(r.k) })),
          protectionPercent: decimal(form.protectionPercent),
        },
        ...(form.correctionNote.trim() ? { correctionNote: form.correctionNote.trim() } : {}),
      });
      setForm(initial);
      onPrepared(release);
    } catch (err) {
      const p = placed(err);
      setFields(p.fields);
      setGeneral(p.general);
    } finally {
      setBusy(false);
    }
  }

  const title = correcting
    ? `Prepare a correction of ${correcting.name} version ${correcting.version}`
    : 'Prepare a release';
  return (
    <form
      ref={ref}
      className="panel open-data-form"
      aria-labelledby="prepare-title"
      onSubmit={submit}
      noValidate
    >
      <h2 id="prepare-title">{title}</h2>
      <p className="hint">
        Tables of imports and exports per month and customs procedure from the accepted declarations in the
        currency; cells are suppressed by the parameters below, then a supervisor other than you checks and
        approves the release before it is published.
      </p>
      {general && <p role="alert">{general}</p>}
      <div className="form-grid">
        <Field
          label="From month"
          hint="YYYY-MM"
          type="month"
          value={form.from}
          onChange={set('from')}
          problem={fields.from}
          readOnly={Boolean(correcting)}
          required
        />
        <Field
          label="To month"
          hint="YYYY-MM, at most 12 months"
          type="month"
          value={form.to}
          onChange={set('to')}
          problem={fields.to}
          readOnly={Boolean(correcting)}
          required
        />
        <Field
          label="Currency"
          hint="ISO 4217: only declarations in it are counted"
          value={form.currency}
          onChange={set('currency')}
          problem={fields.currency}
          maxLength={3}
          readOnly={Boolean(correcting)}
          required
        />
      </div>
      <fieldset className="conditions">
        <legend>Disclosure parameters</legend>
        <div className="form-grid">
          <Field
            label="Minimum traders"
            hint={`A cell with fewer traders is confidential (default ${defaults.minTraders})`}
            inputMode="numeric"
            value={form.minTraders}
            onChange={set('minTraders')}
            problem={fields.minTraders}
          />
          <Field
            label="Protection (percent)"
            hint={`How far an attacker's bounds must stay from a confidential value (default ${defaults.protectionPercent})`}
            inputMode="decimal"
            value={form.protectionPercent}
            onChange={set('protectionPercent')}
            problem={fields.protectionPercent}
          />
        </div>
        <table className="dominance">
          <caption>
            Dominance rules (n, k): a cell whose n largest traders hold more than k percent of its value is
            confidential. Defaults {defaults.dominance.map((r) => `(${r.n}, ${r.k})`).join(' and ')}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">n, largest traders</th>
              <th scope="col">k, percent of the value</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {form.dominance.map((r, i) => (
              <tr key={i}>
                <th scope="row">{i + 1}</th>
                <td>
                  <Field
                    label={`Rule ${i + 1} n`}
                    inputMode="numeric"
                    value={r.n}
                    onChange={setRule(i, 'n')}
                    problem={fields[`dominance.${i}.n`]}
                  />
                </td>
                <td>
                  <Field
                    label={`Rule ${i + 1} k`}
                    inputMode="decimal"
                    value={r.k}
                    onChange={setRule(i, 'k')}
                    problem={fields[`dominance.${i}.k`]}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      setForm((f) => ({ ...f, dominance: f.dominance.filter((_, j) => j !== i) }))
                    }
                  >
                    Remove rule {i + 1}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {form.dominance.length < 5 && (
          <button
            type="button"
            onClick={() => setForm((f) => ({ ...f, dominance: [...f.dominance, { n: '1', k: '85' }] }))}
          >
            Add a dominance rule
          </button>
        )}
      </fieldset>
      {correcting || form.correctionNote || fields.correctionNote ? (
        <div className="field">
          <label htmlFor="correction-note">What this version corrects</label>
          <textarea
            id="correction-note"
            value={form.correctionNote}
            onChange={set('correctionNote')}
            maxLength={2000}
            rows={3}
            aria-invalid={fields.correctionNote ? true : undefined}
            aria-describedby={fields.correctionNote ? 'correction-note-problem' : undefined}
          />
          {fields.correctionNote && (
            <span className="problem" role="alert" id="correction-note-problem">
              {fields.correctionNote}
            </span>
          )}
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Preparing…' : correcting ? 'Prepare the correction' : 'Prepare the release'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Field } from '../users/Field.tsx';
import { noProblems, problemsOf, type Problems } from '../users/problems.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { codes, type Agency, type Agreement, type AgreementTerms, type CatalogField } from './types.ts';

const known = [
  'agency',
  'purpose',
  'legalBasis',
  'fields',
  'filters.hsPrefixes',
  'filters.procedures',
  'filters.offices',
  'filters.declarationTypes',
  'level',
  'delivery',
  'webhookUrl',
  'validFrom',
  'validTo',
];

interface Form {
  agency: string;
  purpose: string;
  legalBasis: string;
  fields: string[];
  hsPrefixes: string;
  procedures: string;
  offices: string;
  declarationTypes: string[];
  level: string;
  delivery: string;
  webhookUrl: string;
  validFrom: string;
  validTo: string;
}

const blank: Form = {
  agency: '',
  purpose: '',
  legalBasis: '',
  fields: [],
  hsPrefixes: '',
  procedures: '',
  offices: '',
  declarationTypes: [],
  level: 'pseudonymised',
  delivery: 'feed',
  webhookUrl: '',
  validFrom: '',
  validTo: '',
};

const toggled = (list: string[], value: string, on: boolean) =>
  on ? [...list, value] : list.filter((v) => v !== value);

/** An administrator drafts an agreement: a draft until a second official approves it. */
export function DraftForm({
  agencies,
  catalog,
  onDrafted,
}: {
  agencies: Agency[];
  catalog: CatalogField[];
  onDrafted: () => Promise<void>;
}) {
  const [form, setForm] = useState<Form>(blank);
  const [problems, setProblems] = useState<Problems>(noProblems);
  const [drafted, setDrafted] = useState<Agreement | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const id = useId();
  useUnsaved(JSON.stringify(form) !== JSON.stringify(blank));
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const set = (key: keyof Form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    setDrafted(null);
    setBusy(true);
    const terms: AgreementTerms = {
      agency: form.agency,
      purpose: form.purpose.trim(),
      legalBasis: form.legalBasis.trim(),
      fields: form.fields,
      filters: {
        hsPrefixes: codes(form.hsPrefixes),
        procedures: codes(form.procedures),
        offices: codes(form.offices.toUpperCase()),
        declarationTypes: form.declarationTypes,
      },
      level: form.level as AgreementTerms['level'],
      delivery: form.delivery as AgreementTerms['delivery'],
      webhookUrl: form.delivery === 'feed' ? null : form.webhookUrl.trim(),
      validFrom: form.validFrom,
      validTo: form.validTo,
    };
    try {
      const made = await api<Agreement>('POST', '/api/sharing/agreements', terms);
      setForm(blank);
      setDrafted(made);
      await onDrafted();
    } catch (err) {
      setProblems(problemsOf(err, known));
    } finally {
      setBusy(false);
    }
  }

  const p = problems.fields;
  const select = (key: 'agency' | 'level' | 'delivery', label: string, options: [string, string][]) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <select
        id={`${id}-${key}`}
        value={form[key]}
        onChange={set(key)}
        aria-invalid={p[key] ? true : undefined}
        aria-describedby={p[key] ? `${id}-${key}-problem` : undefined}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {p[key] && (
        <span className="problem" role="alert" id={`${id}-${key}-problem`}>
          {p[key]}
        </span>
      )}
    </div>
  );
  return (
    <form ref={ref} className="panel" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Draft an agreement</h2>
      <p className="hint">A draft is in force only once another administrator or a supervisor approves it.</p>
      {problems.general && <p role="alert">{problems.general}</p>}
      <div className="grid">
        {select('agency', 'Agency', [
          ['', 'Choose an agency'],
          ...agencies.map((a): [string, string] => [a.code, `${a.code} · ${a.name}`]),
        ])}
        <Field label="Purpose" value={form.purpose} onChange={set('purpose')} problem={p.purpose} required />
        <Field
          label="Legal basis"
          hint="The law or instrument the sharing rests on"
          value={form.legalBasis}
          onChange={set('legalBasis')}
          problem={p.legalBasis}
          required
        />
        {select('level', 'Level', [
          ['identified', 'Identified: identifiers as declared'],
          ['pseudonymised', 'Pseudonymised: party identifiers as pseudonyms'],
          ['aggregated', 'Aggregated: no declaration-level data'],
        ])}
        {select('delivery', 'Delivery', [
          ['feed', 'Feed: the agency reads'],
          ['webhook', 'Webhook: sent to the agency'],
          ['both', 'Both'],
        ])}
        {form.delivery !== 'feed' && (
          <Field
            label="Webhook URL"
            hint="The agency's https address"
            type="url"
            value={form.webhookUrl}
            onChange={set('webhookUrl')}
            problem={p.webhookUrl}
          />
        )}
        <Field
          label="Valid from"
          type="date"
          value={form.validFrom}
          onChange={set('validFrom')}
          problem={p.validFrom}
          required
        />
        <Field
          label="Valid to"
          type="date"
          value={form.validTo}
          onChange={set('validTo')}
          problem={p.validTo}
          required
        />
        <Field
          label="HS chapters, headings or subheadings"
          hint="2, 4 or 6 digits, separated by commas: 01, 0201; empty for all"
          value={form.hsPrefixes}
          onChange={set('hsPrefixes')}
          problem={p['filters.hsPrefixes']}
          autoComplete="off"
        />
        <Field
          label="Procedures"
          hint="Requested procedures (40) or procedure codes (4000), separated by commas; empty for all"
          value={form.procedures}
          onChange={set('procedures')}
          problem={p['filters.procedures']}
          autoComplete="off"
        />
        <Field
          label="Customs offices"
          hint="Office codes, separated by commas; empty for all"
          value={form.offices}
          onChange={set('offices')}
          problem={p['filters.offices']}
          autoComplete="off"
        />
      </div>
      <fieldset>
        <legend>Declaration types</legend>
        {[
          ['IM', 'Imports'],
          ['EX', 'Exports'],
        ].map(([code = '', words]) => (
          <label key={code} className="check">
            <input
              type="checkbox"
              checked={form.declarationTypes.includes(code)}
              onChange={(e) =>
                setForm((f) => ({
                  ...f,
                  declarationTypes: toggled(f.declarationTypes, code, e.target.checked),
                }))
              }
            />
            {words}
          </label>
        ))}
        <span className="hint">None ticked: both</span>
      </fieldset>
      <fieldset aria-describedby={p.fields ? `${id}-fields-problem` : undefined}>
        <legend>Fields granted</legend>
        {p.fields && (
          <span className="problem" role="alert" id={`${id}-fields-problem`}>
            {p.fields}
          </span>
        )}
        {catalog.map((c) => (
          <label key={c.path} className="check">
            <input
              type="checkbox"
              checked={form.fields.includes(c.path)}
              aria-invalid={p.fields ? true : undefined}
              onChange={(e) =>
                setForm((f) => ({ ...f, fields: toggled(f.fields, c.path, e.target.checked) }))
              }
            />
            {c.name} ({c.path}, WCO {c.wcoId})
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Draft agreement
        </button>
      </div>
      <div role="status">
        {drafted && (
          <p className="notice">
            Drafted agreement {drafted.id} for {drafted.agency}: waiting for a second official.
          </p>
        )}
      </div>
    </form>
  );
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Field } from '../users/Field.tsx';
import { noProblems, problemsOf, type Problems } from '../users/problems.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { refusedWith } from './format.ts';
import type { PartnerTerms, Proposal } from './types.ts';

const fields = [
  'code',
  'name',
  'endpoint',
  'publicKey',
  'messageTypes',
  'agreementRef',
  'validFrom',
  'validTo',
];
type Form = Record<
  'code' | 'name' | 'endpoint' | 'publicKey' | 'agreementRef' | 'validFrom' | 'validTo',
  string
>;
const blank: Form = {
  code: '',
  name: '',
  endpoint: '',
  publicKey: '',
  agreementRef: '',
  validFrom: '',
  validTo: '',
};

/**
 * The field a refusal of the terms (invalid_partner) is about: its message starts with the field's
 * name ("endpoint must be an https URL"), or speaks of the administration's own code.
 */
function termsProblems(e: unknown): Problems {
  const problems = problemsOf(e, fields);
  if (!refusedWith(e, 'invalid_partner') || !problems.general) return problems;
  const message = problems.general;
  const field = / own code$/.test(message) ? 'code' : /^(\w+)\b/.exec(message)?.[1];
  return field && fields.includes(field) ? { fields: { [field]: message }, general: null } : problems;
}

/**
 * Proposes a partner administration's registration, or new terms for one: in force only once a
 * second administrator confirms them with the digest shown here.
 */
export function ProposeForm({ onProposed }: { onProposed: (p: Proposal) => Promise<void> }) {
  const [form, setForm] = useState<Form>(blank);
  const [exportsAgreed, setExportsAgreed] = useState(true);
  const [problems, setProblems] = useState<Problems>(noProblems);
  const [proposed, setProposed] = useState<Proposal | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const keyId = useId();
  useUnsaved(JSON.stringify(form) !== JSON.stringify(blank));
  // the first field refused gets the focus, its problem read out with it
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const set = (field: keyof Form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    setProposed(null);
    setBusy(true);
    const terms: PartnerTerms = {
      code: form.code.trim().toUpperCase(),
      name: form.name.trim(),
      endpoint: form.endpoint.trim(),
      publicKey: form.publicKey.trim(),
      messageTypes: exportsAgreed ? ['export_declarations'] : [],
      agreementRef: form.agreementRef.trim(),
      validFrom: form.validFrom,
      ...(form.validTo ? { validTo: form.validTo } : {}),
    };
    try {
      const proposal = await api<Proposal>('POST', '/api/exchange/partners', terms);
      setForm(blank);
      setProposed(proposal);
      await onProposed(proposal);
    } catch (err) {
      setProblems(termsProblems(err));
    } finally {
      setBusy(false);
    }
  }

  const p = problems.fields;
  const keyProblem = p.publicKey;
  return (
    <form
      ref={ref}
      className="panel exchange-form"
      aria-labelledby="propose-title"
      onSubmit={submit}
      noValidate
    >
      <h3 id="propose-title">Propose a partner</h3>
      <p className="hint">
        Registers a partner administration, or changes the terms of one: in force once another administrator
        confirms them with the digest shown after proposing.
      </p>
      {problems.general && <p role="alert">{problems.general}</p>}
      <div className="grid">
        <Field
          label="Code"
          hint="The partner's administration code, e.g. KR"
          value={form.code}
          onChange={set('code')}
          problem={p.code}
          autoComplete="off"
          required
        />
        <Field label="Name" value={form.name} onChange={set('name')} problem={p.name} required />
        <Field
          label="Endpoint"
          hint="The partner's inbox: https://…/api/exchange/inbox"
          value={form.endpoint}
          onChange={set('endpoint')}
          problem={p.endpoint}
          type="url"
          required
        />
        <Field
          label="Agreement reference"
          hint="The agreement or MoU the exchange rests on"
          value={form.agreementRef}
          onChange={set('agreementRef')}
          problem={p.agreementRef}
          required
        />
        <Field
          label="In force from"
          type="date"
          value={form.validFrom}
          onChange={set('validFrom')}
          problem={p.validFrom}
          required
        />
        <Field
          label="In force until"
          hint="Optional: the last day"
          type="date"
          value={form.validTo}
          onChange={set('validTo')}
          problem={p.validTo}
        />
      </div>
      <div className="field">
        <label htmlFor={keyId}>Public key</label>
        <textarea
          id={keyId}
          rows={4}
          value={form.publicKey}
          onChange={set('publicKey')}
          aria-invalid={keyProblem ? true : undefined}
          aria-describedby={`${keyId}-hint${keyProblem ? ` ${keyId}-problem` : ''}`}
          spellCheck={false}
          required
        />
        <span className="hint" id={`${keyId}-hint`}>
          The partner's public key (PEM), as its GET /api/exchange/public-key gives it
        </span>
        {keyProblem && (
          <span className="problem" role="alert" id={`${keyId}-problem`}>
            {keyProblem}
          </span>
        )}
      </div>
      <fieldset>
        <legend>Exchanged</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={exportsAgreed}
            onChange={(e) => setExportsAgreed(e.target.checked)}
            aria-invalid={p.messageTypes ? true : undefined}
          />
          Export declarations whose destination is the partner
        </label>
        {p.messageTypes && (
          <span className="problem" role="alert">
            {p.messageTypes}
          </span>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Propose
        </button>
      </div>
      <div role="status">
        {proposed && (
          <p className="notice">
            Proposed {proposed.terms.code}, waiting for a second administrator. Digest:{' '}
            <code className="hash">{proposed.digest}</code> — give it to the administrator who confirms.
          </p>
        )}
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Field } from '../users/Field.tsx';
import { noProblems, problemsOf, type Problems } from '../users/problems.ts';
import type { Agencies } from './types.ts';

/** The partner agencies, and for administrators a form to add one. */
export function AgencyPanel({ agencies, onChanged }: { agencies: Agencies; onChanged: () => Promise<void> }) {
  return (
    <section aria-labelledby="agencies-title">
      <h2 id="agencies-title">Agencies</h2>
      {agencies.agencies.length === 0 ? (
        <p>No agency yet.</p>
      ) : (
        <div className="scroll">
          <table aria-labelledby="agencies-title">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Contact</th>
              </tr>
            </thead>
            <tbody>
              {agencies.agencies.map((a) => (
                <tr key={a.code}>
                  <th scope="row">{a.code}</th>
                  <td>{a.name}</td>
                  <td>{a.contact}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {agencies.allowed.includes('add') && <AddAgency onAdded={onChanged} />}
    </section>
  );
}

const blank = { code: '', name: '', contact: '' };

function AddAgency({ onAdded }: { onAdded: () => Promise<void> }) {
  const [form, setForm] = useState(blank);
  const [problems, setProblems] = useState<Problems>(noProblems);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof blank) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    setDone(null);
    setBusy(true);
    try {
      const code = form.code.trim().toUpperCase();
      await api('POST', '/api/sharing/agencies', { ...form, code });
      setForm(blank);
      setDone(`Added agency ${code}.`);
      await onAdded();
    } catch (err) {
      setProblems(problemsOf(err, ['code', 'name', 'contact']));
    } finally {
      setBusy(false);
    }
  }

  const p = problems.fields;
  return (
    <form className="panel" aria-labelledby="add-agency-title" onSubmit={submit} noValidate>
      <h3 id="add-agency-title">Add an agency</h3>
      {problems.general && <p role="alert">{problems.general}</p>}
      <div className="grid">
        <Field
          label="Agency code"
          hint="2 to 20 capitals, digits, _ or -: AGRI"
          value={form.code}
          onChange={set('code')}
          problem={p.code}
          autoComplete="off"
          required
        />
        <Field label="Agency name" value={form.name} onChange={set('name')} problem={p.name} required />
        <Field label="Contact" value={form.contact} onChange={set('contact')} problem={p.contact} required />
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Add agency
        </button>
      </div>
      <p role="status">{done}</p>
    </form>
  );
}

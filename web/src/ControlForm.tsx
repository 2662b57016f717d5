import { useState, type FormEvent } from 'react';
import { api } from './api.ts';

const irregularities = [
  'undervaluation',
  'misclassification',
  'false_origin',
  'quantity',
  'prohibited_goods',
  'documents',
  'other',
];

/** The result of a documentary or physical control, recorded by the officer who did it. */
export function ControlForm({ id, onRecorded }: { id: number; onRecorded: () => Promise<void> }) {
  const [outcome, setOutcome] = useState('compliant');
  const [irregularity, setIrregularity] = useState('undervaluation');
  const [revenue, setRevenue] = useState('');
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const body: Record<string, unknown> = { outcome };
    if (outcome === 'non_compliant') {
      body.irregularity = irregularity;
      if (revenue) body.revenueRecovered = Number(revenue);
    }
    if (notes) body.notes = notes;
    try {
      await api('POST', `/api/declarations/${id}/control-results`, body);
      await onRecorded();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <form className="control" onSubmit={submit} aria-labelledby="control-title">
      <h2 id="control-title">Record the control result</h2>
      <label>
        Outcome
        <select id="control-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="compliant">compliant</option>
          <option value="non_compliant">non-compliant</option>
        </select>
      </label>
      {outcome === 'non_compliant' && (
        <>
          <label>
            Irregularity
            <select value={irregularity} onChange={(e) => setIrregularity(e.target.value)}>
              {irregularities.map((i) => (
                <option key={i} value={i}>
                  {i.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            Revenue recovered
            <input inputMode="decimal" value={revenue} onChange={(e) => setRevenue(e.target.value)} />
          </label>
        </>
      )}
      <label>
        Notes
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={2000} />
      </label>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit">Record result</button>
    </form>
  );
}

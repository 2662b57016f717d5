import { useEffect, useState, type FormEvent } from 'react';
import { api, RequestFailed, type User } from './api.ts';
import { FactorsChart } from './FactorsChart.tsx';
import { Lane } from './Lane.tsx';

interface Item {
  sequence: number;
  hsCode: string;
  description?: string;
  originCountry?: string;
  netMass?: number;
  value: number;
}
interface Finding {
  path: string;
  code: string;
  message: string;
  severity: string;
}
interface Declaration {
  id: number;
  functionalReference: string;
  trader: string;
  declarant: string;
  office: string;
  date: string;
  status: string;
  lane?: string;
  currency: string;
  invoiceTotal?: number;
  items: Item[];
  findings: Finding[];
  allowed: string[];
}
type Reason =
  | { kind: 'rule'; code: string; text: string; lane: string; weight: number }
  | { kind: 'factor'; feature: string; contribution: number }
  | { kind: 'anomaly'; detector: string; text: string }
  | { kind: 'random' | 'capacity'; text: string };
interface Assessment {
  score: number;
  critical: number | null;
  lane: string;
  random: boolean;
  reasons: Reason[];
  versions: Record<string, string>;
}
interface Event {
  seq: number;
  kind: string;
  at: string;
  actor: string;
}

const irregularities = [
  'undervaluation',
  'misclassification',
  'false_origin',
  'quantity',
  'prohibited_goods',
  'documents',
  'other',
];

/** One declaration: header, items, findings, its risk assessment and reasons, its history; record a control. */
export default function DeclarationView({ id, onBack }: { id: number; user: User; onBack: () => void }) {
  const [d, setD] = useState<Declaration | null>(null);
  const [assessment, setAssessment] = useState<Assessment | null>(null);
  const [events, setEvents] = useState<Event[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      setD(await api<Declaration>('GET', `/api/declarations/${id}`));
      setEvents((await api<{ events: Event[] }>('GET', `/api/declarations/${id}/events`)).events);
      const a = await api<{ latest: Assessment }>('GET', `/api/declarations/${id}/assessment`).catch(
        (e: unknown) => {
          if (e instanceof RequestFailed && (e.problem.status === 403 || e.problem.status === 404))
            return null;
          throw e;
        },
      );
      setAssessment(a?.latest ?? null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void load();
    const back = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onBack();
    };
    window.addEventListener('keydown', back);
    return () => window.removeEventListener('keydown', back);
  }, [id]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!d) return <p>Loading…</p>;
  const factors = assessment?.reasons.filter((r) => r.kind === 'factor') ?? [];
  return (
    <article aria-labelledby="declaration-title">
      <button onClick={onBack}>← Back (Esc)</button>
      <h1 id="declaration-title">
        Declaration {d.id} · {d.functionalReference} <Lane lane={d.lane} />
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{d.status}</dd>
        <dt>Trader</dt>
        <dd>{d.trader}</dd>
        <dt>Declarant</dt>
        <dd>{d.declarant}</dd>
        <dt>Office</dt>
        <dd>{d.office}</dd>
        <dt>Date</dt>
        <dd>{d.date}</dd>
        <dt>Invoice total</dt>
        <dd>
          {d.invoiceTotal} {d.currency}
        </dd>
      </dl>

      <h2>Items</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">HS code</th>
            <th scope="col">Description</th>
            <th scope="col">Origin</th>
            <th scope="col" className="number">
              Net mass
            </th>
            <th scope="col" className="number">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {d.items.map((it) => (
            <tr key={it.sequence}>
              <td>{it.sequence}</td>
              <td>{it.hsCode}</td>
              <td>{it.description}</td>
              <td>{it.originCountry}</td>
              <td className="number">{it.netMass}</td>
              <td className="number">{it.value}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {d.findings.length > 0 && (
        <>
          <h2>Validation findings</h2>
          <ul>
            {d.findings.map((f, i) => (
              <li key={i}>
                <code>{f.path}</code> {f.message}
              </li>
            ))}
          </ul>
        </>
      )}

      {assessment && (
        <section aria-labelledby="risk-title">
          <h2 id="risk-title">
            Risk assessment: score {assessment.score.toFixed(2)}
            {assessment.critical !== null && `, P(critical) ${assessment.critical.toFixed(3)}`}
            {assessment.random && ', selected at random'}
          </h2>
          <h3>Rules hit</h3>
          <ul>
            {assessment.reasons
              .filter((r) => r.kind === 'rule')
              .map((r) => (
                <li key={r.code}>
                  <strong>{r.code}</strong> ({r.lane}, weight {r.weight}): {r.text}
                </li>
              ))}
            {!assessment.reasons.some((r) => r.kind === 'rule') && <li>none</li>}
          </ul>
          <h3>Anomalies and notes</h3>
          <ul>
            {assessment.reasons
              .filter((r) => r.kind === 'anomaly' || r.kind === 'random' || r.kind === 'capacity')
              .map((r, i) => (
                <li key={i}>{'text' in r ? r.text : ''}</li>
              ))}
            {!assessment.reasons.some(
              (r) => r.kind === 'anomaly' || r.kind === 'random' || r.kind === 'capacity',
            ) && <li>none</li>}
          </ul>
          {factors.length > 0 && (
            <>
              <h3>Model factors</h3>
              <FactorsChart factors={factors} />
            </>
          )}
          <p className="versions">
            Versions:{' '}
            {Object.entries(assessment.versions)
              .map(([k, v]) => `${k} ${v || 'none'}`)
              .join(' · ')}
          </p>
        </section>
      )}

      {d.allowed.includes('record_control') && <ControlForm id={d.id} onRecorded={load} />}

      <h2>History</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> {e.kind} by {e.actor}
          </li>
        ))}
      </ol>
    </article>
  );
}

function ControlForm({ id, onRecorded }: { id: number; onRecorded: () => Promise<void> }) {
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
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
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

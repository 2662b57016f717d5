import { lazy, Suspense, useEffect, useState } from 'react';
import { api, RequestFailed, type User } from './api.ts';
import { CancelForm } from './CancelForm.tsx';
import { ControlForm, describe, type ControlResult } from './ControlForm.tsx';
import { say } from './fields.ts';
import { Lane } from './Lane.tsx';
import { holdReaders, LegalHold } from './LegalHold.tsx';
import type { PricePoint } from './PriceAnomaly.tsx';
import { useShortcuts } from './shortcuts.ts';
import { WorkActions } from './WorkActions.tsx';

// the charts, with ECharts, load only when there is an assessment to draw (never for traders)
/** The roles that may read a declaration's risk assessment (GET /api/declarations/:id/assessment). */
export const assessmentReaders: readonly string[] = ['officer', 'supervisor', 'risk_analyst', 'auditor'];

const FactorsChart = lazy(() => import('./FactorsChart.tsx').then((m) => ({ default: m.FactorsChart })));
const PriceAnomaly = lazy(() => import('./PriceAnomaly.tsx').then((m) => ({ default: m.PriceAnomaly })));

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
  assignedTo?: string;
  allowed: string[];
}
type Reason =
  | { kind: 'rule'; code: string; text: string; lane: string; weight: number }
  | { kind: 'factor'; feature: string; contribution: number }
  | { kind: 'anomaly'; detector: string; text: string; price?: PricePoint }
  | { kind: 'random' | 'capacity'; text: string };
/** How the model's score adds up, in log-odds. */
interface Explanation {
  base: number;
  others: number;
  otherCount: number;
  total: number;
  probability: number;
}
interface Assessment {
  score: number;
  critical: number | null;
  lane: string;
  random: boolean;
  reasons: Reason[];
  explanation: Explanation | null;
  versions: Record<string, string>;
}
interface Event {
  seq: number;
  kind: string;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}

/** What an event adds to "kind by actor" in the history. */
function detail(e: Event): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'assessed':
      return `: ${String(d.lane)} lane`;
    case 'assigned':
      return d.to ? ` to ${String(d.to)}` : ': released';
    case 'rerouted':
      return `: ${d.from ? `${String(d.from)} → ` : ''}${String(d.to)} lane${d.reason ? ` (${String(d.reason)})` : ''}`;
    case 'controlled':
      return `: ${String(d.outcome).replace('_', '-')}${d.irregularity ? `, ${String(d.irregularity).replace(/_/g, ' ')}` : ''}`;
    case 'control_corrected': {
      const after = d.after as Parameters<typeof describe>[0] | undefined;
      const before = d.before as Parameters<typeof describe>[0] | undefined;
      const now = after ? describe(after) : '';
      return before
        ? `: ${describe(before)} → ${now}${d.reason ? ` (${String(d.reason)})` : ''}`
        : now && `: ${now}`;
    }
    case 'cancelled':
      return d.reason ? `: ${String(d.reason)}` : '';
    default:
      return '';
  }
}

/**
 * One declaration: header, items, findings, its risk assessment and reasons, its history; record a
 * control; for officials, its legal hold.
 */
export default function DeclarationView({
  id,
  user,
  onBack,
  onAmend,
}: {
  id: number;
  user: User;
  onBack: () => void;
  onAmend: (id: number) => void;
}) {
  const [d, setD] = useState<Declaration | null>(null);
  const [assessment, setAssessment] = useState<Assessment | null>(null);
  const [events, setEvents] = useState<Event[]>([]);
  const [results, setResults] = useState<ControlResult[]>([]);
  const [correcting, setCorrecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const official = user.role !== 'trader' && user.role !== 'declarant';

  async function load() {
    try {
      setD(await api<Declaration>('GET', `/api/declarations/${id}`));
      setEvents((await api<{ events: Event[] }>('GET', `/api/declarations/${id}/events`)).events);
      if (official)
        setResults(
          (await api<{ results: ControlResult[] }>('GET', `/api/declarations/${id}/control-results`)).results,
        );
      // traders and declarants never read the assessment: they are not asked for it
      const a = !assessmentReaders.includes(user.role)
        ? null
        : await api<{ latest: Assessment }>('GET', `/api/declarations/${id}/assessment`).catch(
            (e: unknown) => {
              if (e instanceof RequestFailed && e.problem.status === 404) return null;
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
  }, [id]);

  useShortcuts({
    Escape: onBack,
    t: () => {
      if (d?.allowed.includes('take')) void api('POST', `/api/declarations/${id}/take`).then(load);
    },
    c: () => document.getElementById('control-outcome')?.focus(),
  });

  if (problem) return <p role="alert">{problem}</p>;
  if (!d) return <p>Loading…</p>;
  // the control form is the holder's: an officer takes open work nobody holds in the same step
  const holder = d.assignedTo === user.username;
  const recordable = d.allowed.includes('record_control') && (holder || d.assignedTo === undefined);
  const inForce = results.find((r) => r.supersededAt === null && r.source === 'officer');
  // the notice comes with the page that shows what was recorded
  const done = async (message: string) => {
    await load();
    setCorrecting(false);
    setNotice(message);
  };
  const explanation = assessment?.explanation ?? null;
  const listed = assessment?.reasons.filter((r) => r.kind === 'factor') ?? [];
  // the rest of the features as one bar, so that the bars and the base add up to the model's score
  const factors =
    explanation && explanation.otherCount > 0
      ? [...listed, { feature: `${explanation.otherCount} other factors`, contribution: explanation.others }]
      : listed;
  return (
    <article aria-labelledby="declaration-title" className="declaration">
      <p className="keys">
        <button onClick={onBack}>← Back</button> Keys: <kbd>Esc</kbd> back
        {d.allowed.includes('take') && (
          <>
            {' '}
            · <kbd>t</kbd> take
          </>
        )}
        {recordable && (
          <>
            {' '}
            · <kbd>c</kbd> record the control
          </>
        )}
      </p>
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
        {d.assignedTo && (
          <>
            <dt>Worked by</dt>
            <dd>{d.assignedTo}</dd>
          </>
        )}
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
              <td className="text">{it.description}</td>
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
              <li key={i}>{say(f)}</li>
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
                <li key={i}>
                  {'text' in r ? r.text : ''}
                  {r.kind === 'anomaly' && r.price && (
                    <Suspense fallback={<p>Loading the chart…</p>}>
                      <PriceAnomaly point={r.price} />
                    </Suspense>
                  )}
                </li>
              ))}
            {!assessment.reasons.some(
              (r) => r.kind === 'anomaly' || r.kind === 'random' || r.kind === 'capacity',
            ) && <li>none</li>}
          </ul>
          {factors.length > 0 && (
            <>
              <h3>Model factors</h3>
              {explanation && (
                <p>
                  In log-odds: base {explanation.base.toFixed(2)} plus the factors below makes{' '}
                  {explanation.total.toFixed(2)}, P(fraud) {explanation.probability.toFixed(3)}
                </p>
              )}
              <Suspense fallback={<p>Loading the chart…</p>}>
                <FactorsChart factors={factors} />
              </Suspense>
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

      <WorkActions id={d.id} office={d.office} lane={d.lane} allowed={d.allowed} onChanged={load} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {official && results.length > 0 && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">Control result</h2>
          <ol className="results">
            {results.map((r) => (
              <li key={r.id} className={r.supersededAt ? 'superseded' : undefined}>
                <strong>#{r.id}</strong> {describe(r)} · by {r.recordedBy},{' '}
                <time dateTime={r.recordedAt}>{new Date(r.recordedAt).toLocaleString()}</time>
                {r.supersededAt && ' · superseded by a correction'}
                {r.corrects !== null && ` · corrects #${r.corrects}: ${r.correctionReason ?? ''}`}
                {r.notes && <p className="notes">Notes: {r.notes}</p>}
              </li>
            ))}
          </ol>
          {d.allowed.includes('correct_control') && inForce && !correcting && (
            <button onClick={() => setCorrecting(true)}>Correct result…</button>
          )}
        </section>
      )}
      {correcting && inForce && (
        <ControlForm
          key={`correct-${inForce.id}`}
          id={d.id}
          currency={d.currency}
          correcting={inForce}
          onDone={done}
          onClose={() => setCorrecting(false)}
        />
      )}
      {recordable && (
        <ControlForm
          id={d.id}
          currency={d.currency}
          take={!holder && d.allowed.includes('take')}
          onDone={done}
        />
      )}
      {d.allowed.includes('amend') && <button onClick={() => onAmend(d.id)}>Amend…</button>}
      {d.allowed.includes('cancel') && <CancelForm id={d.id} onCancelled={load} />}
      {/* traders and declarants never learn of a hold: for them it is not even asked for */}
      {holdReaders.includes(user.role) && <LegalHold id={d.id} />}

      <h2>History</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> {e.kind} by {e.actor}
            {detail(e)}
          </li>
        ))}
      </ol>
    </article>
  );
}

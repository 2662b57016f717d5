import { useEffect, useState, type FormEvent } from 'react';
import { api, get } from '../api.ts';
import { hsCode, moment, money } from '../format.ts';
import { useUnsaved } from '../useUnsaved.ts';

/** A declaration's clearance as GET /api/declarations/:id/clearance gives it. */
export interface ClearanceData {
  status: string;
  lane: string | null;
  stages: { kind: string; at: string; actor: string; data: Record<string, unknown> | null }[];
  duty: {
    currency: string;
    items: { sequence: number; hsCode: string; value: number; dutyRate: number | null; duty: number }[];
    duty: number;
    paid: number;
    guaranteed: number;
    due: number;
    revenueRecovered: { amount: number; currency: string }[];
  };
  allowed: string[];
  releaseBlockedBy: string | null;
}

const stageNames: Record<string, string> = {
  lodged: 'Lodged',
  accepted: 'Accepted',
  amended: 'Amended',
  assessed: 'Assessed',
  arrived: 'Goods arrived',
  documents_requested: 'Documents requested',
  documents_provided: 'Documents provided',
  documents_checked: 'Documents checked',
  inspection_scheduled: 'Inspection scheduled',
  inspection_started: 'Inspection started',
  inspection_completed: 'Inspection completed',
  controlled: 'Control result recorded',
  duties_assessed: 'Duty assessed',
  paid: 'Paid',
  guaranteed: 'Guaranteed',
  released: 'Released',
  detained: 'Detained',
  seized: 'Seized',
  refused: 'Release refused',
  cancelled: 'Cancelled',
};

/** The stages shown: the work of customs officers among themselves (assignment) is left out. */
const shown = new Set(Object.keys(stageNames));

/** What a stage adds after its name. */
function detail(kind: string, d: Record<string, unknown>, currency: string): string {
  const text = (key: string) => (typeof d[key] === 'string' ? String(d[key]) : null);
  const parts: (string | null)[] = [];
  switch (kind) {
    case 'arrived':
      parts.push(text('arrivedAt') && `at ${moment(String(d.arrivedAt))}`, text('place'));
      break;
    case 'assessed':
      parts.push(text('lane') && `${String(d.lane)} lane`);
      break;
    case 'documents_requested':
      parts.push(Array.isArray(d.documents) ? d.documents.join(', ') : null);
      break;
    case 'documents_checked':
      parts.push(text('outcome'));
      break;
    case 'inspection_scheduled':
      parts.push(text('plannedAt') && `for ${moment(String(d.plannedAt))}`, text('place'));
      break;
    case 'inspection_started':
    case 'inspection_completed':
      parts.push(text('place'));
      break;
    case 'controlled':
      parts.push(text('outcome')?.replace('_', '-') ?? null);
      break;
    case 'duties_assessed':
      parts.push(typeof d.duty === 'number' ? money(d.duty, text('currency') ?? currency) : null);
      break;
    case 'paid':
    case 'guaranteed':
      parts.push(
        typeof d.amount === 'number' ? money(d.amount, text('currency') ?? currency) : null,
        text('reference') && `reference ${String(d.reference)}`,
      );
      break;
    case 'released':
      parts.push(d.automatic === true ? 'automatically' : null);
      break;
  }
  parts.push(text('reason'), text('note'));
  const said = parts.filter((p): p is string => Boolean(p));
  return said.length ? `: ${said.join(', ')}` : '';
}

interface Field {
  name: string;
  label: string;
  kind: 'text' | 'moment' | 'amount' | 'outcome' | 'list';
  required?: boolean;
}

const reason: Field = { name: 'reason', label: 'Reason', kind: 'text', required: true };
const note: Field = { name: 'note', label: 'Note', kind: 'text' };
const payment: Field[] = [
  { name: 'amount', label: 'Amount', kind: 'amount', required: true },
  { name: 'reference', label: 'Reference', kind: 'text', required: true },
];

/** Each action: the button's words, its path and the fields of its form. */
const actions: Record<string, { label: string; path: string; fields: Field[] }> = {
  report_arrival: {
    label: 'Report arrival',
    path: 'arrival',
    fields: [
      { name: 'arrivedAt', label: 'Arrived at (now if empty)', kind: 'moment' },
      { name: 'place', label: 'Place', kind: 'text' },
    ],
  },
  request_documents: {
    label: 'Request documents',
    path: 'documents/request',
    fields: [{ name: 'documents', label: 'Documents (separated by commas)', kind: 'list' }, note],
  },
  provide_documents: { label: 'Provide documents', path: 'documents/provide', fields: [note] },
  check_documents: {
    label: 'Check documents',
    path: 'documents/check',
    fields: [{ name: 'outcome', label: 'Outcome', kind: 'outcome', required: true }, note],
  },
  schedule_inspection: {
    label: 'Schedule inspection',
    path: 'inspection/schedule',
    fields: [
      { name: 'plannedAt', label: 'Planned at', kind: 'moment', required: true },
      { name: 'place', label: 'Place', kind: 'text', required: true },
    ],
  },
  start_inspection: {
    label: 'Start inspection',
    path: 'inspection/start',
    fields: [{ name: 'place', label: 'Place (the scheduled one if empty)', kind: 'text' }],
  },
  complete_inspection: {
    label: 'Complete inspection',
    path: 'inspection/complete',
    fields: [{ name: 'place', label: 'Place (the scheduled one if empty)', kind: 'text' }, note],
  },
  record_payment: { label: 'Record payment', path: 'payments', fields: payment },
  record_guarantee: { label: 'Record guarantee', path: 'guarantees', fields: payment },
  release: { label: 'Release', path: 'release', fields: [note] },
  detain: { label: 'Detain', path: 'detain', fields: [reason] },
  seize: { label: 'Seize', path: 'seize', fields: [reason] },
  refuse: { label: 'Refuse release', path: 'refuse', fields: [reason] },
};

/** The body of an action from its form's values: empty fields left out, moments and amounts converted. */
function bodyOf(fields: Field[], values: Record<string, string>, currency: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? '').trim();
    if (v === '') continue;
    if (f.kind === 'moment') body[f.name] = new Date(v).toISOString();
    else if (f.kind === 'amount') body[f.name] = Number(v);
    else if (f.kind === 'list')
      body[f.name] = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else body[f.name] = v;
  }
  if (fields.some((f) => f.kind === 'amount')) body.currency = currency;
  return body;
}

function ActionForm({
  id,
  action,
  currency,
  due,
  onDone,
  onClose,
}: {
  id: number;
  action: string;
  currency: string;
  due: number;
  onDone: (message: string) => Promise<void>;
  onClose: () => void;
}) {
  const def = actions[action];
  const [values, setValues] = useState<Record<string, string>>(() => {
    const start: Record<string, string> = {};
    if (def?.fields.some((f) => f.kind === 'amount')) start.amount = String(due);
    return start;
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the amount starts as what is due: only what the reader typed is unsaved
  useUnsaved(Object.entries(values).some(([k, v]) => k !== 'amount' && v.trim() !== '') && !busy);
  if (!def) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!def) return;
    setProblem(null);
    setBusy(true);
    try {
      await api('POST', `/api/declarations/${id}/${def.path}`, bodyOf(def.fields, values, currency));
      await onDone(`${def.label}: recorded.`);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <form className="inline" onSubmit={submit} aria-label={def.label}>
      {def.fields.map((f, i) => (
        <label key={f.name}>
          {f.kind === 'amount' ? `${f.label} (${currency}, ${money(due, currency)} due)` : f.label}
          {f.kind === 'outcome' ? (
            <select
              value={values[f.name] ?? ''}
              onChange={(e) => set(f.name, e.target.value)}
              required={f.required}
              autoFocus={i === 0}
            >
              <option value="">Choose…</option>
              <option value="satisfactory">Satisfactory</option>
              <option value="discrepancy">Discrepancy</option>
            </select>
          ) : (
            <input
              type={f.kind === 'moment' ? 'datetime-local' : f.kind === 'amount' ? 'number' : 'text'}
              step={f.kind === 'amount' ? '0.01' : undefined}
              min={f.kind === 'amount' ? '0.01' : undefined}
              value={values[f.name] ?? ''}
              onChange={(e) => set(f.name, e.target.value)}
              required={f.required}
              minLength={f === reason ? 3 : undefined}
              maxLength={f.kind === 'text' || f.kind === 'list' ? 500 : undefined}
              autoFocus={i === 0}
            />
          )}
        </label>
      ))}
      <button type="submit" disabled={busy}>
        {def.label}
      </button>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}

/**
 * The clearance of a declaration: each stage with its time and actor, the duty per item and in
 * total, what was paid, guaranteed and is due, and the forms of the actions the reader may take.
 */
export function Clearance({
  id,
  version,
  onChanged,
}: {
  id: number;
  /** Changes when the declaration's history does (read again then). */
  version: number;
  onChanged: () => Promise<void>;
}) {
  const [c, setC] = useState<ClearanceData | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = () =>
    get<ClearanceData>(`/api/declarations/${id}/clearance`).then(setC, (e: unknown) =>
      setProblem(e instanceof Error ? e.message : String(e)),
    );
  useEffect(() => {
    void load();
  }, [id, version]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!c) return null;
  const { duty } = c;
  const done = async (message: string) => {
    setOpen(null);
    await load();
    await onChanged();
    setNotice(message);
  };
  return (
    <section aria-labelledby="clearance-title" className="clearance">
      <h2 id="clearance-title">Clearance</h2>
      <p>
        Status: <strong>{c.status}</strong>
        {c.releaseBlockedBy && <> · waiting: {c.releaseBlockedBy}</>}
      </p>
      <ol className="timeline" aria-label="Stages">
        {c.stages
          .filter((s) => shown.has(s.kind))
          .map((s, i) => (
            <li key={i}>
              <time dateTime={s.at}>{moment(s.at)}</time> {stageNames[s.kind]} by {s.actor}
              {detail(s.kind, s.data ?? {}, duty.currency)}
            </li>
          ))}
      </ol>
      <table aria-label="Duty per item">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">HS code</th>
            <th scope="col" className="number">
              Value
            </th>
            <th scope="col" className="number">
              Rate
            </th>
            <th scope="col" className="number">
              Duty
            </th>
          </tr>
        </thead>
        <tbody>
          {duty.items.map((item) => (
            <tr key={item.sequence}>
              <td>{item.sequence}</td>
              <td>{hsCode(item.hsCode)}</td>
              <td className="number">{money(item.value, duty.currency)}</td>
              <td className="number">{item.dutyRate === null ? '—' : `${item.dutyRate}%`}</td>
              <td className="number">{money(item.duty, duty.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              Total duty
            </th>
            <td className="number">{money(duty.duty, duty.currency)}</td>
          </tr>
        </tfoot>
      </table>
      <dl className="facts" aria-label="Payment">
        <dt>Paid</dt>
        <dd>{money(duty.paid, duty.currency)}</dd>
        <dt>Guaranteed</dt>
        <dd>{money(duty.guaranteed, duty.currency)}</dd>
        <dt>Due</dt>
        <dd>{money(duty.due, duty.currency)}</dd>
        {duty.revenueRecovered.length > 0 && (
          <>
            <dt>Revenue recovered by controls</dt>
            <dd>{duty.revenueRecovered.map((r) => money(r.amount, r.currency)).join(', ')}</dd>
          </>
        )}
      </dl>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {c.allowed.length > 0 && (
        <div className="actions" role="group" aria-label="Clearance actions">
          {c.allowed.map((a) => (
            <button
              key={a}
              type="button"
              aria-expanded={open === a}
              onClick={() => {
                setNotice(null);
                setOpen(open === a ? null : a);
              }}
            >
              {actions[a]?.label ?? a}…
            </button>
          ))}
        </div>
      )}
      {open && (
        <ActionForm
          key={open}
          id={id}
          action={open}
          currency={duty.currency}
          due={duty.due}
          onDone={done}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { readAmount } from './amount.ts';
import { api } from './api.ts';
import { Confirm } from './Confirm.tsx';
import { money } from './format.ts';
import { useUnsaved } from './useUnsaved.ts';

const irregularities = [
  'undervaluation',
  'misclassification',
  'false_origin',
  'quantity',
  'prohibited_goods',
  'documents',
  'other',
];

/** A control result as the API gives it. */
export interface ControlResult {
  id: number;
  outcome: string;
  irregularity: string | null;
  severity: number;
  revenueRecovered: number | null;
  revenueCurrency: string | null;
  seizure: boolean;
  notes: string | null;
  /** `officer` for results recorded here, `historical` for those imported with declarations. */
  source: string;
  recordedBy: string;
  recordedAt: string;
  supersededAt: string | null;
  corrects: number | null;
  correctionReason: string | null;
}

export const words = (code: string) => code.replace(/_/g, ' ');
export { money };
const seizedPrefix = /^goods seized(\. )?/;

/**
 * The result of a documentary or physical control: recorded by the officer who holds the work
 * (taking it in the same step when nobody does), or corrected by a supervisor of the office with a
 * reason. Nothing is sent before the official confirms a summary of it; the form starts afresh after.
 */
export function ControlForm({
  id,
  currency,
  take = false,
  correcting,
  onDone,
  onClose,
}: {
  id: number;
  /** The declaration's currency, the currency of revenue recovered unless another is given. */
  currency: string;
  /** Nobody holds the work: recording takes it first, in the same step. */
  take?: boolean;
  /** The result a supervisor corrects: the form starts from it and asks why. */
  correcting?: ControlResult;
  onDone: (message: string) => Promise<void>;
  onClose?: () => void;
}) {
  const initial = {
    outcome: correcting?.outcome ?? 'compliant',
    irregularity: correcting?.irregularity ?? 'undervaluation',
    severity: correcting && correcting.severity > 0 ? String(correcting.severity) : '',
    revenue: correcting?.revenueRecovered != null ? String(correcting.revenueRecovered) : '',
    revenueCurrency: correcting?.revenueCurrency ?? currency,
    seizure: correcting?.seizure ?? false,
    notes: correcting?.notes?.replace(seizedPrefix, '') ?? '',
    reason: '',
  };
  const [form, setForm] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<Record<string, unknown> | null>(null);
  useUnsaved(JSON.stringify(form) !== JSON.stringify(initial));
  const set = (field: keyof typeof initial) => (value: string | boolean) =>
    setForm((f) => ({ ...f, [field]: value }));
  const nonCompliant = form.outcome === 'non_compliant';
  const critical = form.seizure || form.irregularity === 'prohibited_goods';

  function review(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const body: Record<string, unknown> = { outcome: form.outcome };
    if (nonCompliant) {
      body.irregularity = form.irregularity;
      if (form.severity) body.severity = Number(form.severity);
      if (form.revenue.trim()) {
        const amount = readAmount(form.revenue);
        if (amount === null)
          return setProblem(`Revenue recovered: "${form.revenue}" is not an amount (for example 1,250.75)`);
        const code = form.revenueCurrency.trim().toUpperCase();
        if (!/^[A-Z]{3}$/.test(code))
          return setProblem('Currency: give the three-letter code of the revenue recovered, such as USD');
        body.revenueRecovered = amount;
        body.revenueCurrency = code;
      }
      if (form.seizure) body.seizure = true;
    }
    if (form.notes.trim()) body.notes = form.notes.trim();
    if (correcting) {
      if (form.reason.trim().length < 3) return setProblem('Reason: say why the result is corrected');
      body.reason = form.reason.trim();
    }
    setPending(body);
  }

  async function send(body: Record<string, unknown>) {
    setPending(null);
    try {
      if (take) await api('POST', `/api/declarations/${id}/take`);
      const saved = await api<ControlResult>(
        'POST',
        `/api/declarations/${id}/control-results${correcting ? '/correct' : ''}`,
        body,
      );
      setForm(initial);
      await onDone(
        correcting
          ? `Result #${correcting.id} corrected: result #${saved.id} is now in force.`
          : `Result #${saved.id} recorded: ${words(saved.outcome)}.`,
      );
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  const title = correcting ? `Correct result #${correcting.id}` : 'Record the control result';
  // the question is outside the form: its buttons must not submit it again
  return (
    <>
      <form className="control" onSubmit={review} aria-labelledby={`control-title-${id}`}>
        <h2 id={`control-title-${id}`}>{title}</h2>
        {take && <p>Nobody holds this work yet: recording the result takes it for you.</p>}
        <label>
          Outcome
          <select
            id={correcting ? undefined : 'control-outcome'}
            value={form.outcome}
            onChange={(e) => set('outcome')(e.target.value)}
          >
            <option value="compliant">compliant</option>
            <option value="non_compliant">non-compliant</option>
          </select>
        </label>
        {nonCompliant && (
          <>
            <label>
              Kind of irregularity
              <select value={form.irregularity} onChange={(e) => set('irregularity')(e.target.value)}>
                {irregularities.map((i) => (
                  <option key={i} value={i}>
                    {words(i)}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={form.seizure}
                onChange={(e) => set('seizure')(e.target.checked)}
              />{' '}
              Goods seized
            </label>
            <label>
              Severity
              <select value={form.severity} onChange={(e) => set('severity')(e.target.value)}>
                <option value="">
                  automatic: {critical ? 'critical (seizure or prohibited goods)' : 'irregularity'}
                </option>
                <option value="1">irregularity</option>
                <option value="2">critical</option>
              </select>
            </label>
            <div className="amount">
              <label>
                Revenue recovered
                <input
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="e.g. 1,250.75"
                  value={form.revenue}
                  onChange={(e) => set('revenue')(e.target.value)}
                />
              </label>
              <label>
                Currency
                <input
                  value={form.revenueCurrency}
                  onChange={(e) => set('revenueCurrency')(e.target.value.toUpperCase())}
                  maxLength={3}
                  size={4}
                  autoComplete="off"
                />
              </label>
            </div>
          </>
        )}
        <label>
          Notes
          <textarea value={form.notes} onChange={(e) => set('notes')(e.target.value)} maxLength={1980} />
        </label>
        {correcting && (
          <label>
            Reason for the correction
            <textarea
              value={form.reason}
              onChange={(e) => set('reason')(e.target.value)}
              required
              minLength={3}
              maxLength={500}
            />
          </label>
        )}
        {problem && <p role="alert">{problem}</p>}
        <div className="actions">
          <button type="submit" className="primary">
            {correcting
              ? 'Correct the result…'
              : take
                ? 'Take it and record the result…'
                : 'Record the result…'}
          </button>
          {onClose && (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
        </div>
      </form>
      {pending && (
        <Confirm
          title={correcting ? `Correct result #${correcting.id}?` : 'Record this result?'}
          confirm={correcting ? 'Correct it' : 'Record it'}
          onConfirm={() => void send(pending)}
          onCancel={() => setPending(null)}
        >
          <Summary body={pending} take={take} correcting={correcting} />
        </Confirm>
      )}
    </>
  );
}

/** What will be sent, in words, for the confirmation. */
function Summary({
  body,
  take,
  correcting,
}: {
  body: Record<string, unknown>;
  take: boolean;
  correcting?: ControlResult;
}) {
  const severity =
    body.outcome !== 'non_compliant'
      ? null
      : (body.severity ?? (body.seizure || body.irregularity === 'prohibited_goods' ? 2 : 1)) === 2
        ? 'critical'
        : 'irregularity';
  return (
    <dl className="facts summary">
      {take && (
        <>
          <dt>Work</dt>
          <dd>you take it</dd>
        </>
      )}
      {correcting && (
        <>
          <dt>Replaces</dt>
          <dd>
            result #{correcting.id}: {describe(correcting)}
          </dd>
        </>
      )}
      <dt>Outcome</dt>
      <dd>{body.outcome === 'non_compliant' ? 'non-compliant' : 'compliant'}</dd>
      {body.outcome === 'non_compliant' && (
        <>
          <dt>Irregularity</dt>
          <dd>{words(String(body.irregularity))}</dd>
          <dt>Severity</dt>
          <dd>{severity}</dd>
          <dt>Revenue recovered</dt>
          <dd>
            {typeof body.revenueRecovered === 'number'
              ? money(body.revenueRecovered, String(body.revenueCurrency))
              : 'none'}
          </dd>
          <dt>Goods seized</dt>
          <dd>{body.seizure ? 'yes' : 'no'}</dd>
        </>
      )}
      {typeof body.notes === 'string' && (
        <>
          <dt>Notes</dt>
          <dd>{body.notes}</dd>
        </>
      )}
      {typeof body.reason === 'string' && (
        <>
          <dt>Reason</dt>
          <dd>{body.reason}</dd>
        </>
      )}
    </dl>
  );
}

/** A result in one line: outcome, irregularity, severity, revenue, seizure. */
export function describe(
  r: Pick<
    ControlResult,
    'outcome' | 'irregularity' | 'severity' | 'revenueRecovered' | 'revenueCurrency' | 'seizure'
  >,
): string {
  if (r.outcome !== 'non_compliant') return 'compliant';
  return [
    'non-compliant',
    r.irregularity ? words(r.irregularity) : '',
    r.severity >= 2 ? 'critical' : '',
    r.revenueRecovered != null ? `${money(r.revenueRecovered, r.revenueCurrency)} recovered` : '',
    r.seizure ? 'goods seized' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

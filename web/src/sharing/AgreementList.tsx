import { useState, type FormEvent } from 'react';
import { api, RequestFailed } from '../api.ts';
import { problemOf, when } from '../exchange/format.ts';
import { day } from '../format.ts';
import { decisions, needsReason, type Agreement, type Decision } from './types.ts';

const levelNames: Record<string, string> = {
  identified: 'identified (identifiers as declared)',
  pseudonymised: 'pseudonymised (party identifiers as pseudonyms)',
  aggregated: 'aggregated (no declaration-level data)',
};

/** The agreements, newest first, each with its terms and the decisions the reader may take. */
export function AgreementList({
  agreements,
  onDecided,
}: {
  agreements: Agreement[];
  onDecided: () => Promise<void>;
}) {
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="agreement-list-title">
      <h2 id="agreement-list-title">Agreements</h2>
      <p role="status">{done}</p>
      {agreements.length === 0 && <p>No agreement yet.</p>}
      {agreements.map((a) => (
        <article key={a.id} className="panel" aria-labelledby={`agreement-${a.id}`}>
          <h3 id={`agreement-${a.id}`}>
            Agreement {a.id} · {a.agency} · {a.status}
            {a.inForce ? ' · in force' : ' · not in force'}
          </h3>
          <Terms agreement={a} />
          {a.allowed.some((x) => (decisions as readonly string[]).includes(x)) && (
            <DecisionForm
              agreement={a}
              onDecided={async (words) => {
                await onDecided();
                setDone(words);
              }}
              onStale={onDecided}
            />
          )}
          {a.status === 'draft' && a.allowed.includes('edit') && (
            <p className="hint">
              You drafted this agreement: another administrator or a supervisor approves it.
            </p>
          )}
        </article>
      ))}
    </section>
  );
}

function Terms({ agreement: a }: { agreement: Agreement }) {
  const f = a.filters;
  const covered = [
    f.hsPrefixes.length > 0 && `HS ${f.hsPrefixes.join(', ')}`,
    f.procedures.length > 0 && `procedures ${f.procedures.join(', ')}`,
    f.offices.length > 0 && `offices ${f.offices.join(', ')}`,
    f.declarationTypes.length > 0 && `types ${f.declarationTypes.join(', ')}`,
  ].filter(Boolean);
  return (
    <dl className="facts">
      <dt>Purpose</dt>
      <dd>{a.purpose}</dd>
      <dt>Legal basis</dt>
      <dd>{a.legalBasis}</dd>
      <dt>Fields</dt>
      <dd>{a.fields.map((x) => `${x.name} (${x.path}, WCO ${x.wcoId})`).join('; ')}</dd>
      <dt>Declarations</dt>
      <dd>{covered.length > 0 ? covered.join('; ') : 'all'}</dd>
      <dt>Level</dt>
      <dd>{levelNames[a.level] ?? a.level}</dd>
      <dt>Delivery</dt>
      <dd className="breaks">{a.webhookUrl ? `${a.delivery} to ${a.webhookUrl}` : a.delivery}</dd>
      <dt>Valid</dt>
      <dd>
        {day(a.validFrom)} to {day(a.validTo)}
      </dd>
      <dt>Terms digest</dt>
      <dd className="breaks">
        <code>{a.termsDigest}</code>
      </dd>
      <dt>Drafted</dt>
      <dd>
        by {a.draftedBy}, <time dateTime={a.draftedAt}>{when(a.draftedAt)}</time>
      </dd>
      {a.decidedBy && a.decidedAt && (
        <>
          <dt>Decided</dt>
          <dd>
            by {a.decidedBy}, <time dateTime={a.decidedAt}>{when(a.decidedAt)}</time>
          </dd>
        </>
      )}
      {a.reason && (
        <>
          <dt>Reason</dt>
          <dd>
            {a.reason} ({a.changedBy})
          </dd>
        </>
      )}
    </dl>
  );
}

const buttonNames: Record<Decision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  suspend: 'Suspend',
  resume: 'Resume',
  revoke: 'Revoke',
};
const doneNames: Record<Decision, string> = {
  approve: 'approved: active',
  reject: 'rejected',
  suspend: 'suspended',
  resume: 'resumed: active',
  revoke: 'revoked',
};

/**
 * The decisions the reader may take. An approval sends the digest of the terms shown above it, so
 * what is approved is what was read: if the drafter changed the draft meanwhile, the server refuses
 * it, the list is read again (`onStale`) and the reader reviews the new terms before approving.
 */
function DecisionForm({
  agreement: a,
  onDecided,
  onStale,
}: {
  agreement: Agreement;
  onDecided: (words: string) => Promise<void>;
  onStale: () => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const allowed = decisions.filter((d) => a.allowed.includes(d));
  const reasonId = `reason-${a.id}`;

  async function decide(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = allowed.find((d) => d === submitter?.value);
    if (!decision) return;
    if (needsReason.has(decision) && reason.trim() === '') {
      setProblem(`Give a reason to ${decision} agreement ${a.id}.`);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await api('POST', `/api/sharing/agreements/${a.id}/${decision}`, {
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(decision === 'approve' ? { termsDigest: a.termsDigest } : {}),
      });
      setReason('');
      await onDecided(`Agreement ${a.id} ${doneNames[decision]}.`);
    } catch (err) {
      if (err instanceof RequestFailed && err.problem.error === 'agreement_changed') {
        await onStale();
        setProblem(
          `The terms of agreement ${a.id} changed since you read them: review them above, then decide again.`,
        );
      } else setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline" aria-label={`Decide on agreement ${a.id}`} onSubmit={decide} noValidate>
      <div className="field">
        <label htmlFor={reasonId}>Reason</label>
        <input
          id={reasonId}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${reasonId}-hint${problem ? ` ${reasonId}-problem` : ''}`}
        />
        <span className="hint" id={`${reasonId}-hint`}>
          Needed to reject, suspend or revoke
        </span>
        {problem && (
          <span className="problem" role="alert" id={`${reasonId}-problem`}>
            {problem}
          </span>
        )}
      </div>
      {allowed.map((d) => (
        <button
          key={d}
          type="submit"
          value={d}
          className={d === 'approve' ? 'primary' : undefined}
          disabled={busy}
        >
          {buttonNames[d]}
        </button>
      ))}
    </form>
  );
}

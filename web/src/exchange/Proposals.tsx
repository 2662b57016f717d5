import { useState, type FormEvent } from 'react';
import { api, type User } from '../api.ts';
import { Field } from '../users/Field.tsx';
import { problemOf, refusedWith, typeName, validity, when } from './format.ts';
import type { Proposal } from './types.ts';

/**
 * Registrations and changes waiting for a second administrator. The proposer sees the digest to
 * pass on; any other administrator reviews the terms and confirms them with that digest, which the
 * server checks against the proposal as it stands.
 */
export function Proposals({
  proposals,
  user,
  canConfirm,
  onConfirmed,
}: {
  proposals: Proposal[];
  user: User;
  canConfirm: boolean;
  onConfirmed: () => Promise<void>;
}) {
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <h3 id="proposals-title">Waiting for a second administrator</h3>
      <p role="status">{done}</p>
      {proposals.length === 0 && <p>No proposal is waiting.</p>}
      {proposals.map((p) => (
        <article key={p.terms.code} className="panel" aria-labelledby={`proposal-${p.terms.code}`}>
          <h4 id={`proposal-${p.terms.code}`}>
            {p.terms.code} · {p.terms.name}
          </h4>
          <Terms proposal={p} />
          {p.proposedBy === user.username ? (
            <p>
              You proposed these terms. Their digest is <code className="hash">{p.digest}</code>: give it to
              the administrator who confirms them.
            </p>
          ) : (
            canConfirm && (
              <ConfirmForm
                code={p.terms.code}
                onConfirmed={async () => {
                  await onConfirmed();
                  setDone(`${p.terms.code} is in force.`);
                }}
              />
            )
          )}
        </article>
      ))}
    </>
  );
}

function Terms({ proposal: { terms: t, proposedBy, proposedAt } }: { proposal: Proposal }) {
  return (
    <dl className="facts">
      <dt>Endpoint</dt>
      <dd className="breaks">{t.endpoint}</dd>
      <dt>Exchanged</dt>
      <dd>{t.messageTypes.map(typeName).join(', ')}</dd>
      <dt>Agreement</dt>
      <dd>{t.agreementRef}</dd>
      <dt>In force</dt>
      <dd>{validity(t)}</dd>
      <dt>Public key</dt>
      <dd>
        <pre className="json">{t.publicKey}</pre>
      </dd>
      <dt>Proposed</dt>
      <dd>
        by {proposedBy}, <time dateTime={proposedAt}>{when(proposedAt)}</time>
      </dd>
    </dl>
  );
}

const digestPattern = /^[0-9a-f]{64}$/;

/** Why a confirmation was refused, in words a person can act on. */
function refusal(e: unknown): string {
  if (refusedWith(e, 'proposal_changed'))
    return 'This digest is not that of the terms shown: they changed since they were proposed, or the digest was mistyped. Review the terms again and ask the proposer for the digest they were shown.';
  if (refusedWith(e, 'proposal_not_found'))
    return 'This proposal is no longer waiting: it was confirmed or replaced. The list shows it as it is now.';
  return problemOf(e);
}

function ConfirmForm({ code, onConfirmed }: { code: string; onConfirmed: () => Promise<void> }) {
  const [digest, setDigest] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed = digest.trim().toLowerCase();
    if (!digestPattern.test(typed)) {
      setProblem('The digest is 64 characters, digits and the letters a to f, as the proposer was shown it.');
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      await api('POST', `/api/exchange/partners/${encodeURIComponent(code)}/confirm`, { digest: typed });
      setDigest('');
      await onConfirmed();
    } catch (err) {
      setProblem(refusal(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline" aria-label={`Confirm ${code}`} onSubmit={submit} noValidate>
      <Field
        label="Digest"
        hint="The digest the proposing administrator was shown"
        value={digest}
        onChange={(e) => setDigest(e.target.value)}
        problem={problem}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <button type="submit" className="primary" disabled={busy}>
        Confirm {code}
      </button>
    </form>
  );
}

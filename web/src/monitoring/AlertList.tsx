import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { day, money } from '../format.ts';
import { problemOf } from '../quality/format.ts';
import { alertMeasureWords, kindWords } from './address.ts';
import type { Alert, DraftedProfile } from './types.ts';

type Decision = 'acknowledge' | 'dismiss';

/**
 * Alerts ranked by the value at stake, largest first. Each row says what was seen in words; the
 * buttons are those the server allows: acknowledge or dismiss with a reason, or draft a profile
 * (which opens the new draft on the Profiles page).
 */
export function AlertList({
  alerts,
  onChanged,
  openProfile,
}: {
  alerts: Alert[];
  onChanged: () => void;
  openProfile: (id: number) => void;
}) {
  if (alerts.length === 0) return <p>No alert in this state.</p>;
  return (
    <ol className="alerts" aria-label="Alerts, largest first">
      {alerts.map((a) => (
        <AlertRow key={a.id} alert={a} onChanged={onChanged} openProfile={openProfile} />
      ))}
    </ol>
  );
}

function AlertRow({
  alert: a,
  onChanged,
  openProfile,
}: {
  alert: Alert;
  onChanged: () => void;
  openProfile: (id: number) => void;
}) {
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = `alert-${a.id}-title`;

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    try {
      await run();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const decide = (e: FormEvent) => {
    e.preventDefault();
    if (!deciding) return;
    void act(async () => {
      await api<Alert>('POST', `/api/monitoring/alerts/${a.id}/${deciding}`, { reason });
      setDeciding(null);
      onChanged();
    });
  };
  const draft = () =>
    void act(async () => {
      const made = await api<DraftedProfile>('POST', `/api/monitoring/alerts/${a.id}/profile`);
      openProfile(made.profile.id);
    });

  return (
    <li className="alert-row" aria-labelledby={heading}>
      <h3 id={heading}>
        {kindWords[a.kind] ?? a.kind}: {a.series}, {alertMeasureWords[a.measure] ?? a.measure}{' '}
        <span className="secondary">
          ({a.period} of {day(a.periodStart)})
        </span>
      </h3>
      <p>
        <strong>{money(a.size, a.currency)}</strong> at stake. {a.explanation}
      </p>
      <p className="secondary">
        <span className={`status ${a.state}`}>{a.state}</span>
        {a.decidedBy && ` by ${a.decidedBy}: “${a.reason ?? ''}”`}
        {a.profileId !== null && ` · draft profile ${a.profileId}`}
      </p>
      {problem && <p role="alert">{problem}</p>}
      {deciding ? (
        <form
          onSubmit={decide}
          aria-label={`${deciding === 'acknowledge' ? 'Acknowledge' : 'Dismiss'} alert ${a.id}`}
        >
          <label>
            Reason
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={1000}
              rows={2}
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
            {deciding === 'acknowledge' ? 'Acknowledge' : 'Dismiss'}
          </button>
          <button type="button" onClick={() => setDeciding(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="actions">
          {a.allowed.includes('acknowledge') && (
            <button onClick={() => setDeciding('acknowledge')} aria-describedby={heading}>
              Acknowledge
            </button>
          )}
          {a.allowed.includes('dismiss') && (
            <button onClick={() => setDeciding('dismiss')} aria-describedby={heading}>
              Dismiss
            </button>
          )}
          {a.allowed.includes('profile') && (
            <button onClick={draft} disabled={busy} aria-describedby={heading}>
              Draft a profile
            </button>
          )}
        </div>
      )}
    </li>
  );
}

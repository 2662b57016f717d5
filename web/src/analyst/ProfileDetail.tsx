import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api.ts';
import { Confirm } from '../Confirm.tsx';
import { day, moment } from '../format.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { Lane } from '../Lane.tsx';
import { percent } from './format.ts';
import { operatorLabels, showValue, statusLabels, type Profile } from './profiles.ts';
import { VersionComparison, type InForce } from './VersionComparison.tsx';

/**
 * One profile version: its definition, what it selected and what controls found, its decision,
 * and the buttons its `allowed` list names (submit, approve, reject, retire). Writing a new
 * version is offered when the caller may write profiles at all (`canWrite`).
 */
export function ProfileDetail({
  profile: p,
  canWrite,
  onChanged,
  onRevise,
  onClose,
}: {
  profile: Profile;
  canWrite: boolean;
  onChanged: (p: Profile) => void;
  onRevise: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [note, setNote] = useState('');
  const [noteProblem, setNoteProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [retiring, setRetiring] = useState(false);
  useUnsaved(note.trim() !== '');
  const may = (action: string) => p.allowed.includes(action);
  // a version not yet decided is read beside the version in force (undefined while it loads)
  const undecided = p.status === 'pending' || p.status === 'draft';
  const [inForce, setInForce] = useState<InForce | null | undefined>(undefined);

  // opening a profile from the list takes the reader to it
  useEffect(() => heading.current?.focus(), [p.id]);

  useEffect(() => {
    if (!undecided) return;
    api<{ inForce: InForce | null }>('GET', `/api/risk/profiles/${p.id}`).then(
      (found) => setInForce(found.inForce),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, [p.id, undecided]);

  async function act(action: string, body?: unknown) {
    setProblem(null);
    try {
      onChanged(await api<Profile>('POST', `/api/risk/profiles/${p.id}/${action}`, body));
      setNote('');
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  function reject() {
    // a rejection tells the author what to change
    if (note.trim() === '') return setNoteProblem('Give the reason for rejecting, for the author.');
    setNoteProblem(null);
    void act('reject', { note: note.trim() });
  }

  const d = p.definition;
  return (
    <article className="profile" aria-labelledby={`${id}-title`}>
      <div className="title-bar">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {p.code} · version {p.version}
        </h2>
        <button onClick={onClose}>Close (Esc)</button>
      </div>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{d.name}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`status ${p.status}`}>{statusLabels[p.status] ?? p.status}</span>
        </dd>
        <dt>Lane, weight</dt>
        <dd>
          <Lane lane={d.lane} /> weight {d.weight}
        </dd>
        <dt>Reason</dt>
        <dd>{d.reason}</dd>
        <dt>Valid</dt>
        <dd>
          from {day(d.validFrom)}
          {d.validTo ? ` to ${day(d.validTo)}` : ', no end'}
        </dd>
        <dt>Written by</dt>
        <dd>
          {p.createdBy} on {moment(p.createdAt)}
        </dd>
        {p.decidedBy && (
          <>
            <dt>Decided by</dt>
            <dd>
              {p.decidedBy}
              {p.decidedAt && ` on ${moment(p.decidedAt)}`}
            </dd>
          </>
        )}
        {p.decisionNote && (
          <>
            <dt>Note</dt>
            <dd>{p.decisionNote}</dd>
          </>
        )}
        <dt>Selections</dt>
        <dd>
          {p.stats.selections} selected, {p.stats.controls} controlled, {p.stats.positives} non-compliant (hit
          rate {percent(p.stats.hitRate)})
        </dd>
      </dl>

      <h3>Conditions</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Operator</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {d.conditions.map((c, i) => (
            <tr key={i}>
              <td>
                <code>{c.field}</code>
              </td>
              <td>{operatorLabels[c.op] ?? c.op}</td>
              <td>{showValue(c)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {undecided && inForce !== undefined && (
        <VersionComparison code={p.code} version={p.version} proposed={d} inForce={inForce} />
      )}

      {p.status === 'pending' && !may('approve') && (
        <p className="hint">Waiting for a risk analyst other than {p.createdBy} to approve or reject it.</p>
      )}
      {(may('approve') || may('reject')) && (
        <div className="profile-field">
          <label>
            Reason for the decision
            <textarea
              value={note}
              maxLength={1000}
              rows={2}
              aria-invalid={noteProblem ? true : undefined}
              aria-describedby={noteProblem ? `${id}-note` : undefined}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {noteProblem && (
            <span id={`${id}-note`} className="problem">
              {noteProblem}
            </span>
          )}
        </div>
      )}
      {problem && <p role="alert">{problem}</p>}
      <div className="actions">
        {may('submit') && (
          <button className="primary" onClick={() => void act('submit')}>
            Submit for approval
          </button>
        )}
        {may('approve') && (
          <button
            className="primary"
            onClick={() => void act('approve', note.trim() ? { note: note.trim() } : undefined)}
          >
            Approve
          </button>
        )}
        {may('reject') && <button onClick={reject}>Reject</button>}
        {may('retire') && <button onClick={() => setRetiring(true)}>Retire</button>}
        {canWrite && <button onClick={onRevise}>Edit as new version</button>}
      </div>
      {retiring && (
        <Confirm
          title={`Retire ${p.code}?`}
          confirm="Retire profile"
          onConfirm={() => {
            setRetiring(false);
            void act('retire');
          }}
          onCancel={() => setRetiring(false)}
        >
          <p>It stops selecting declarations at once. To use it again, write and approve a new version.</p>
        </Confirm>
      )}
    </article>
  );
}

import { useState } from 'react';
import { api, problemOf, type User } from '../api.ts';
import { moment } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import { PrepareForm } from './PrepareForm.tsx';
import { SuppressionTable } from './SuppressionTable.tsx';
import { period, tableTitle, type CheckCell, type Release, type TableCount } from './types.ts';

export const statusText: Record<Release['status'], string> = {
  prepared: 'Prepared, waiting for a decision',
  approved: 'Approved, waiting for publication',
  rejected: 'Rejected',
  published: 'Published',
};

/**
 * One release as its checker sees it: the summary, each table's suppression pattern, and what the
 * reader may do: a supervisor other than the preparer approves or rejects it with a note, then
 * publishes it; a risk analyst prepares a correction of a published release as its next version.
 */
export function ReleaseCheck({
  id,
  table,
  user,
  onTable,
  onChanged,
  onOpen,
}: {
  id: number;
  table: string | null;
  user: User;
  onTable: (name: string) => void;
  onChanged: () => void;
  onOpen: (id: number) => void;
}) {
  const [version, setVersion] = useState(0);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState(false);
  const release = useFetched<Release & { tables: TableCount[] }>(`/api/open-data/releases/${id}`, version);
  const r = release.data;
  const shown = table ?? r?.tables[0]?.name ?? null;
  const cells = useFetched<{ cells: CheckCell[] }>(
    r && shown ? `/api/open-data/releases/${id}/cells?table=${encodeURIComponent(shown)}` : null,
  );

  async function act(action: 'approve' | 'reject' | 'publish') {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const body = action === 'publish' ? undefined : note.trim() ? { note: note.trim() } : {};
      const after = await api<Release>('POST', `/api/open-data/releases/${id}/${action}`, body);
      setNote('');
      setDone(`${after.name} version ${after.version}: ${statusText[after.status].toLowerCase()}.`);
      setVersion((v) => v + 1);
      onChanged();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (release.problem) return <p role="alert">{release.problem}</p>;
  if (!r) return <p>Loading the release…</p>;
  const decides = r.allowed.includes('approve');
  return (
    <section aria-labelledby="release-title" className="release-check">
      <h2 id="release-title">
        {r.name} version {r.version}
      </h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="release-status">{statusText[r.status]}</dd>
        <dt>Period</dt>
        <dd>
          {period(r.periodFrom, r.periodTo)}, {r.currency}
        </dd>
        <dt>Prepared</dt>
        <dd>
          by {r.preparedBy}, {moment(r.preparedAt)}
        </dd>
        {r.decidedBy && (
          <>
            <dt>{r.status === 'rejected' ? 'Rejected' : 'Approved'}</dt>
            <dd>
              by {r.decidedBy}, {r.decidedAt ? moment(r.decidedAt) : ''}
              {r.decisionNote ? `: ${r.decisionNote}` : ''}
            </dd>
          </>
        )}
        {r.publishedBy && (
          <>
            <dt>Published</dt>
            <dd>
              by {r.publishedBy}, {r.publishedAt ? moment(r.publishedAt) : ''}, signed with key {r.keyId}
            </dd>
          </>
        )}
        {r.corrects !== null && (
          <>
            <dt>Corrects</dt>
            <dd>
              version {r.corrects}: {r.correctionNote}
            </dd>
          </>
        )}
        <dt>Parameters</dt>
        <dd>
          at least {r.parameters.minTraders} traders; dominance{' '}
          {r.parameters.dominance.map((d) => `(${d.n}, ${d.k}%)`).join(', ') || 'none'}; protection{' '}
          {r.parameters.protectionPercent}%
        </dd>
        <dt>Summary</dt>
        <dd data-testid="release-summary">
          {r.summary.tables} table{r.summary.tables === 1 ? '' : 's'}, {r.summary.cells} cells:{' '}
          {r.summary.primary} primary and {r.summary.secondary} secondary suppressions
          {r.summary.withheld.length > 0 ? `; withheld whole: ${r.summary.withheld.join(', ')}` : ''}
        </dd>
      </dl>

      {done && <p role="status">{done}</p>}
      {problem && <p role="alert">{problem}</p>}
      {decides && (
        <div className="panel" role="group" aria-labelledby="decide-title">
          <h3 id="decide-title">Decision</h3>
          <p className="hint">
            Check each table's pattern below, then approve or reject; the note is kept with the release.
          </p>
          <div className="field">
            <label htmlFor="decision-note">Note</label>
            <textarea
              id="decision-note"
              value={note}
              maxLength={2000}
              rows={2}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <div className="actions">
            <button className="primary" disabled={busy} onClick={() => void act('approve')}>
              Approve
            </button>
            <button disabled={busy} onClick={() => void act('reject')}>
              Reject
            </button>
          </div>
        </div>
      )}
      {r.status === 'prepared' && !decides && (
        <p className="hint" data-testid="four-eyes">
          {r.preparedBy === user.username
            ? 'You prepared this release: a supervisor other than you approves or rejects it.'
            : `Waiting for a supervisor other than ${r.preparedBy} to approve or reject it.`}
        </p>
      )}
      {r.allowed.includes('publish') && (
        <div className="actions">
          <button className="primary" disabled={busy} onClick={() => void act('publish')}>
            Publish
          </button>
          <span className="hint">
            Makes the files, their checksums and the signature; a published release never changes.
          </span>
        </div>
      )}
      {r.status === 'published' && user.role === 'risk_analyst' && !correcting && (
        <div className="actions">
          <button onClick={() => setCorrecting(true)}>Prepare a correction</button>
        </div>
      )}
      {correcting && (
        <PrepareForm
          correcting={r}
          onCancel={() => setCorrecting(false)}
          onPrepared={(next) => {
            setCorrecting(false);
            onChanged();
            onOpen(next.id);
          }}
        />
      )}

      <h3 id="tables-title">Tables</h3>
      {r.tables.length === 0 ? (
        <p>No declarations in this period and currency: the release has no table.</p>
      ) : (
        <>
          <table aria-labelledby="tables-title">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="number">
                  Cells
                </th>
                <th scope="col" className="number">
                  Primary
                </th>
                <th scope="col" className="number">
                  Secondary
                </th>
                <th scope="col">Pattern</th>
              </tr>
            </thead>
            <tbody>
              {r.tables.map((t) => (
                <tr key={t.name} aria-current={t.name === shown ? 'true' : undefined}>
                  <td>{tableTitle(t.name)}</td>
                  <td className="number">{t.cells}</td>
                  <td className="number">{t.primary}</td>
                  <td className="number">{t.secondary}</td>
                  <td>
                    <button
                      aria-pressed={t.name === shown}
                      aria-label={`Show the pattern of ${tableTitle(t.name)}`}
                      onClick={() => onTable(t.name)}
                    >
                      Show
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cells.problem && <p role="alert">{cells.problem}</p>}
          {shown && cells.data && (
            <SuppressionTable cells={cells.data.cells} currency={r.currency} title={tableTitle(shown)} />
          )}
        </>
      )}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Confirm } from '../Confirm.tsx';
import { describeCounts, when } from './format.ts';
import type { ArchiveReport, ArchiveRun } from './types.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What a job did, in a sentence or three. */
function describeReport(r: ArchiveReport): string {
  const done =
    r.runs.length === 0
      ? 'Nothing was due for archival.'
      : `Archived and purged ${describeCounts(r.counts)} in ${r.runs.length} run${r.runs.length === 1 ? '' : 's'}.`;
  const held =
    r.held === 0
      ? ''
      : r.held === 1
        ? ' 1 declaration past its period was kept under legal hold.'
        : ` ${r.held.toLocaleString()} declarations past their period were kept under legal hold.`;
  const setAside =
    r.setAside.length > 0
      ? ` Set aside ${r.setAside.length} folder${r.setAside.length === 1 ? '' : 's'} of runs that never committed.`
      : '';
  return done + held + setAside;
}

/**
 * The archival runs that committed, newest first: what each archived and purged, what legal holds
 * kept, the ledger entry that records it and the folder it wrote. Administrators run a job now.
 */
export function ArchiveRuns() {
  const [runs, setRuns] = useState<ArchiveRun[]>([]);
  const [mayRun, setMayRun] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function load() {
    try {
      const found = await api<{ items: ArchiveRun[]; allowed: string[] }>(
        'GET',
        '/api/retention/runs?limit=50',
      );
      setRuns(found.items);
      setMayRun(found.allowed.includes('run'));
    } catch (e) {
      setProblem(message(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function archive() {
    setAsking(false);
    setProblem(null);
    setDone(null);
    setRunning(true);
    try {
      const report = await api<ArchiveReport>('POST', '/api/retention/archive');
      await load();
      setDone(describeReport(report));
    } catch (e) {
      setProblem(message(e));
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Archival runs</h2>
      {mayRun && (
        <p>
          <button className="primary" disabled={running} onClick={() => setAsking(true)}>
            Run archival now
          </button>
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
      <p role="status">{running ? 'Archiving…' : done}</p>
      <table aria-labelledby="runs-title">
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">By</th>
            <th scope="col">Archived and purged</th>
            <th scope="col" className="number">
              Kept under hold
            </th>
            <th scope="col" className="number">
              Ledger entry
            </th>
            <th scope="col">Folder</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <time dateTime={r.finishedAt}>{when(r.finishedAt)}</time>
              </td>
              <td>{r.actor}</td>
              <td>{describeCounts(r.counts)}</td>
              <td className="number">{r.held}</td>
              <td className="number">{r.ledgerSeq}</td>
              <td>
                <code>{r.folder}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.length === 0 && !problem && <p>No archival run has purged anything yet.</p>}
      {asking && (
        <Confirm
          title="Run archival now?"
          confirm="Archive and purge"
          onConfirm={() => void archive()}
          onCancel={() => setAsking(false)}
        >
          <p>
            Data past its retention period is written to the server&apos;s archive folder and deleted from the
            database, each purge recorded on the ledger. Declarations under legal hold are kept.
          </p>
        </Confirm>
      )}
    </section>
  );
}

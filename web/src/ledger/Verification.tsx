import { useId, useState } from 'react';
import { api } from '../api.ts';
import { problemOf, when } from './format.ts';
import type { VerifyReport } from './types.ts';

/** Each problem verification names, in words. */
const problems: Record<string, string> = {
  altered: 'entry altered',
  removed: 'entry removed',
  reordered: 'entries reordered',
  added: 'entry added outside the ledger',
  checkpoint_signature: 'checkpoint signature does not verify',
  checkpoint_root: 'entries do not match their checkpoint',
  checkpoint_removed: 'checkpoint removed',
  checkpoint_replaced: 'checkpoint replaced',
  head_signature: 'signed head does not verify',
  head_rewritten: 'entries rewritten under a signed head',
  head_removed: 'signed head removed',
  copy_altered: 'copy outside the database altered',
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Verification on demand: the whole chain, every checkpoint and signed head. The outcome is said in
 * a sentence, the first problem found with the entry it names (which opens beside the list).
 */
export function Verification({ onOpen }: { onOpen: (seq: number) => void }) {
  const rootsId = useId();
  const [roots, setRoots] = useState(false);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  async function verify() {
    setRunning(true);
    setReport(null);
    setFailed(null);
    try {
      setReport(await api<VerifyReport>('GET', `/api/ledger/verify${roots ? '?roots=true' : ''}`));
    } catch (e) {
      setFailed(problemOf(e));
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby="verify-title" className="panel verification">
      <h2 id="verify-title">Verification</h2>
      <div className="filters">
        <button className="primary" disabled={running} onClick={() => void verify()}>
          Verify the ledger
        </button>
        <label className="check" htmlFor={rootsId}>
          <input id={rootsId} type="checkbox" checked={roots} onChange={(e) => setRoots(e.target.checked)} />
          Recompute each checkpoint&rsquo;s Merkle root too (slower)
        </label>
      </div>
      <div role="status">
        {running && <p>Verifying…</p>}
        {report?.ok && (
          <>
            <p className="verdict ok">
              <strong>The ledger is intact.</strong> {plural(report.checked, 'entry', 'entries')} and{' '}
              {plural(report.checkpoints, 'checkpoint', 'checkpoints')} checked.
            </p>
            <p className="hint">
              {report.signedHead
                ? `Signed up to entry ${report.signedHead.seq} (${when(report.signedHead.signedAt)}); ${plural(report.unsigned, 'entry', 'entries')} after it not yet signed.`
                : 'No entry is signed yet.'}
              {report.copy &&
                ` The copy in ${report.copy.dir} holds ${plural(report.copy.checkpoints, 'checkpoint', 'checkpoints')}.`}
            </p>
          </>
        )}
      </div>
      {report && !report.ok && (
        <div role="alert" className="verdict broken">
          <p>
            <strong>
              The ledger is broken at entry {report.firstBad.seq}:{' '}
              {problems[report.firstBad.problem] ?? report.firstBad.problem}.
            </strong>{' '}
            {plural(report.checked, 'entry', 'entries')} checked before it.
          </p>
          <p className="breaks">{report.firstBad.message}</p>
          <button onClick={() => onOpen(report.firstBad.seq)}>Open entry {report.firstBad.seq}</button>
        </div>
      )}
      {failed && <p role="alert">{failed}</p>}
    </section>
  );
}

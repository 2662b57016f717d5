import { useEffect, useId, useState } from 'react';
import { api } from '../api.ts';
import { problemOf, when } from './format.ts';
import type { Checkpoint } from './types.ts';

/**
 * The signed checkpoints, oldest first: the range of entries each covers, its Merkle root and its
 * signature. Each downloads as the JSON file sent to partners, who check it with the public key alone.
 */
export function Checkpoints() {
  const leavesId = useId();
  const [checkpoints, setCheckpoints] = useState<Checkpoint[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [leaves, setLeaves] = useState(false);

  useEffect(() => {
    api<{ checkpoints: Checkpoint[] }>('GET', '/api/ledger/checkpoints').then(
      (found) => setCheckpoints(found.checkpoints),
      (e: unknown) => setProblem(problemOf(e)),
    );
  }, []);

  return (
    <section aria-labelledby="checkpoints-title">
      <h2 id="checkpoints-title">Checkpoints</h2>
      <div className="filters">
        <label className="check" htmlFor={leavesId}>
          <input
            id={leavesId}
            type="checkbox"
            checked={leaves}
            onChange={(e) => setLeaves(e.target.checked)}
          />
          Downloads include the hash of every entry covered
        </label>
      </div>
      {problem && <p role="alert">{problem}</p>}
      <div className="scroll">
        <table aria-labelledby="checkpoints-title" className="checkpoints">
          <thead>
            <tr>
              <th scope="col">Entries</th>
              <th scope="col">Signed</th>
              <th scope="col">Key</th>
              <th scope="col">Merkle root</th>
              <th scope="col">Signature</th>
              <th scope="col">For partners</th>
            </tr>
          </thead>
          <tbody>
            {checkpoints?.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="nowrap">
                  {c.fromSeq}–{c.toSeq}
                </th>
                <td>
                  <time dateTime={c.signedAt}>{when(c.signedAt)}</time>
                </td>
                <td>
                  <code className="hash">{c.keyId}</code>
                </td>
                <td>
                  <code className="hash">{c.merkleRoot}</code>
                </td>
                <td>
                  <code className="hash">{c.signature}</code>
                </td>
                <td>
                  <a
                    className="link nowrap"
                    href={`/api/ledger/checkpoints/${c.id}${leaves ? '?leaves=true' : ''}`}
                    download={`clearway-checkpoint-${c.fromSeq}-${c.toSeq}.json`}
                  >
                    Download entries {c.fromSeq}–{c.toSeq}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {checkpoints?.length === 0 && <p>No checkpoint has been signed yet.</p>}
    </section>
  );
}

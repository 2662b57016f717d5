/**
 * Verifying the whole ledger: the chain entry by entry, the head, and every checkpoint's
 * signature and anchor (the hash of its last entry), with `roots` its Merkle root as well.
 * Reports the first entry that was altered, removed or reordered.
 */
import type { Sql } from '../../db/database.ts';
import { ChainChecker, Problem, type BadEntry } from './chain.ts';
import { listCheckpoints, type Checkpoint } from './checkpoints.ts';
import { MerkleBuilder } from './merkle.ts';
import { entryBatches } from './read.ts';
import { verifyClaim } from './signing.ts';

export type VerifyReport =
  | { ok: true; checked: number; lastSeq: number; checkpoints: number }
  | { ok: false; checked: number; firstBad: BadEntry };

const bad = (seq: number, problem: Problem, message: string): BadEntry => ({ seq, problem, message });

/** Checks the checkpoints among themselves: consecutive ranges, each signed by our key. */
function checkpointProblem(checkpoints: readonly Checkpoint[], publicKeyPem: string): BadEntry | null {
  let expectedFrom = 1;
  for (const c of checkpoints) {
    if (c.fromSeq !== expectedFrom) {
      return bad(
        expectedFrom,
        Problem.CheckpointRemoved,
        `the checkpoint covering ledger entry ${expectedFrom} was removed`,
      );
    }
    if (!verifyClaim(c, c.signature, publicKeyPem)) {
      return bad(
        c.fromSeq,
        Problem.CheckpointSignature,
        `the checkpoint of ledger entries ${c.fromSeq}-${c.toSeq} was altered: its signature does not verify`,
      );
    }
    expectedFrom = c.toSeq + 1;
  }
  return null;
}

export async function verifyLedger(
  sql: Sql,
  publicKeyPem: string,
  options: { batchSize?: number; roots?: boolean } = {},
): Promise<VerifyReport> {
  const roots = options.roots ?? false;
  const checkpoints = await listCheckpoints(sql);
  const [head] = await sql.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM ledger_head WHERE id = 1',
  );
  if (!head) throw new Error('the ledger has no head row');
  const signatureProblem = checkpointProblem(checkpoints, publicKeyPem);
  const checker = new ChainChecker();
  let next = 0; // the checkpoint whose range is being read
  let tree = new MerkleBuilder();
  // `checked`: the entries found good before the first bad one
  const fail = (firstBad: BadEntry): VerifyReport => ({
    ok: false,
    checked: Math.min(checker.lastSeq, firstBad.seq - 1),
    firstBad,
  });

  for await (const batch of entryBatches(sql, 0, options.batchSize ?? 50_000)) {
    const problem = checker.check(batch);
    // problems are reported in seq order: a bad checkpoint before the bad entry comes first
    const first = [problem, signatureProblem]
      .filter((p): p is BadEntry => p !== null && p.seq <= checker.lastSeq + 1)
      .sort((a, b) => a.seq - b.seq)[0];
    if (first) return fail(first);
    for (const e of batch) {
      const c = checkpoints[next];
      if (!c) break;
      if (roots) tree.add(e.hash);
      if (e.seq === c.toSeq) {
        // the intact chain up to an entry whose hash is the signed last hash is the signed range
        // itself, entry for entry; the root is recomputed too when asked (it is what partners use)
        if (e.hash !== c.lastHash || (roots && tree.root() !== c.merkleRoot)) {
          return fail(
            bad(
              c.fromSeq,
              Problem.CheckpointRoot,
              `ledger entries ${c.fromSeq}-${c.toSeq} do not match their signed checkpoint: they were rewritten`,
            ),
          );
        }
        next++;
        tree = new MerkleBuilder();
      }
    }
  }
  if (signatureProblem) return fail(signatureProblem);
  const lastCovered = checkpoints.at(-1)?.toSeq ?? 0;
  const expectedLast = Math.max(head.seq, lastCovered);
  if (checker.lastSeq < expectedLast) {
    const seq = checker.lastSeq + 1;
    return fail(bad(seq, Problem.Removed, `ledger entry ${seq} was removed`));
  }
  if (checker.lastSeq > head.seq) {
    const seq = head.seq + 1;
    return fail(bad(seq, Problem.Added, `ledger entry ${seq} was added outside the ledger`));
  }
  if (checker.lastHash !== head.hash) {
    return fail(bad(checker.lastSeq, Problem.Altered, `ledger entry ${checker.lastSeq} was altered`));
  }
  return { ok: true, checked: checker.lastSeq, lastSeq: checker.lastSeq, checkpoints: checkpoints.length };
}

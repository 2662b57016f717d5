/**
 * Verifying the whole ledger: the chain entry by entry, the head, every checkpoint (signature,
 * chained to the one before, anchored by the hash of its last entry; with `roots` its Merkle root),
 * every signed head (signature, the checkpoint it names, the hash of its entry), and, given the copy
 * folder, every checkpoint and head copied there. Reports the first problem in seq order (ADR 0012).
 */
import type { Sql } from '../../db/database.ts';
import { ChainChecker, Problem, type BadEntry } from './chain.ts';
import { listCheckpoints } from './checkpoints.ts';
import { newer, readCopy, type LedgerCopy } from './copy.ts';
import { genesisHash, type LedgerEntry } from './entry.ts';
import type { SignedHead } from './exported.ts';
import { headName, listSignedHeads } from './heads.ts';
import { MerkleBuilder } from './merkle.ts';
import { entryBatches } from './read.ts';
import { checkpointDigest, verifyClaim, verifyHead, type CheckpointClaim } from './signing.ts';

export type VerifyReport =
  | {
      ok: true;
      checked: number;
      lastSeq: number;
      checkpoints: number;
      /** The latest signed head: entries up to it cannot be removed or rewritten without the key. */
      signedHead: { seq: number; signedAt: string } | null;
      /** Entries after the latest signed head: not yet protected against a database writer. */
      unsigned: number;
      /** What the copy folder holds; null when no folder was given or it does not exist. */
      copy: { dir: string; checkpoints: number; headSeq: number | null } | null;
    }
  | { ok: false; checked: number; firstBad: BadEntry };

export interface VerifyOptions {
  batchSize?: number;
  /** Recompute each checkpoint's Merkle root too. */
  roots?: boolean;
  /** The copy folder to compare the database with (CLEARWAY_LEDGER_COPY_DIR). */
  copyDir?: string;
}

interface SignedCheckpoint extends CheckpointClaim {
  signature: string;
}

const bad = (seq: number, problem: Problem, message: string): BadEntry => ({ seq, problem, message });
const range = (c: CheckpointClaim) => `ledger entries ${c.fromSeq}-${c.toSeq}`;

/**
 * The checkpoints of the database together with those only the copy folder still has (each of
 * those a problem), and the heads: the database's and the copy's, each checked on its own.
 */
function gather(
  checkpoints: readonly SignedCheckpoint[],
  heads: readonly SignedHead[],
  copy: LedgerCopy | undefined,
  publicKeyPem: string,
  problems: BadEntry[],
): { checkpoints: SignedCheckpoint[]; heads: SignedHead[] } {
  const byEnd = new Map(checkpoints.map((c) => [c.toSeq, c]));
  const validHeads = heads.filter((h) => {
    const valid = verifyHead(h, h.signature, publicKeyPem);
    if (!valid)
      problems.push(
        bad(
          h.seq,
          Problem.HeadSignature,
          `${headName(h)} for entry ${h.seq} was altered: its signature does not verify`,
        ),
      );
    return valid;
  });
  if (!copy) return { checkpoints: [...checkpoints], heads: validHeads };
  const where = `the copy folder ${copy.dir}`;
  for (const u of copy.unreadable)
    problems.push(
      bad(1, Problem.CopyAltered, `${u.file} in the copy folder is not a ledger file: ${u.message}`),
    );
  for (const c of copy.checkpoints) {
    if (!verifyClaim(c, c.signature, publicKeyPem)) {
      problems.push(
        bad(
          c.fromSeq,
          Problem.CopyAltered,
          `the copy of the checkpoint of ${range(c)} in ${where} does not verify`,
        ),
      );
      continue;
    }
    const kept = byEnd.get(c.toSeq);
    if (!kept) {
      problems.push(
        bad(
          c.fromSeq,
          Problem.CheckpointRemoved,
          `the checkpoint of ${range(c)} was removed from the database: ${where} has it`,
        ),
      );
      byEnd.set(c.toSeq, c);
    } else if (checkpointDigest(kept) !== checkpointDigest(c)) {
      problems.push(
        bad(
          c.fromSeq,
          Problem.CheckpointReplaced,
          `the checkpoint of ${range(c)} differs from its copy in ${where}`,
        ),
      );
    }
  }
  const latest = validHeads.reduce<SignedHead | undefined>((a, h) => (newer(h, a) ? h : a), undefined);
  const copied = copy.head;
  if (copied && newer(copied, latest)) {
    if (!verifyHead(copied, copied.signature, publicKeyPem)) {
      problems.push(
        bad(copied.seq, Problem.CopyAltered, `the copy of ${headName(copied)} in ${where} does not verify`),
      );
    } else {
      problems.push(
        bad(
          copied.seq,
          Problem.HeadRemoved,
          `${headName(copied)} for entry ${copied.seq} is gone from the database: ${where} has it`,
        ),
      );
      validHeads.push(copied);
    }
  }
  return { checkpoints: [...byEnd.values()].sort((a, b) => a.toSeq - b.toSeq), heads: validHeads };
}

/** Checkpoints among themselves and against the heads: consecutive, signed, chained, named. */
function checkpointProblems(
  checkpoints: readonly SignedCheckpoint[],
  heads: readonly SignedHead[],
  publicKeyPem: string,
  problems: BadEntry[],
): void {
  let expectedFrom = 1;
  let previous: SignedCheckpoint | undefined;
  for (const c of checkpoints) {
    if (c.fromSeq !== expectedFrom) {
      problems.push(
        bad(
          expectedFrom,
          Problem.CheckpointRemoved,
          `the checkpoint covering ledger entry ${expectedFrom} was removed`,
        ),
      );
    } else if (!verifyClaim(c, c.signature, publicKeyPem)) {
      problems.push(
        bad(
          c.fromSeq,
          Problem.CheckpointSignature,
          `the checkpoint of ${range(c)} was altered: its signature does not verify`,
        ),
      );
    } else if (
      c.prevCheckpoint !== null &&
      c.prevCheckpoint !== (previous ? checkpointDigest(previous) : genesisHash)
    ) {
      const seq = previous?.fromSeq ?? 1;
      problems.push(
        bad(
          seq,
          Problem.CheckpointReplaced,
          `the checkpoint before that of ${range(c)} is not the one it was chained to`,
        ),
      );
    }
    expectedFrom = c.toSeq + 1;
    previous = c;
  }
  const byEnd = new Map(checkpoints.map((c) => [c.toSeq, c]));
  for (const h of heads) {
    if (h.checkpointSeq === 0) continue;
    const named = byEnd.get(h.checkpointSeq);
    if (!named) {
      const from = (checkpoints.filter((c) => c.toSeq < h.checkpointSeq).at(-1)?.toSeq ?? 0) + 1;
      problems.push(
        bad(
          from,
          Problem.CheckpointRemoved,
          `the checkpoint of ledger entries ${from}-${h.checkpointSeq}, named by ${headName(h)}, was removed`,
        ),
      );
    } else if (checkpointDigest(named) !== h.checkpointHash) {
      problems.push(
        bad(
          named.fromSeq,
          Problem.CheckpointReplaced,
          `the checkpoint of ${range(named)} is not the one ${headName(h)} names`,
        ),
      );
    }
  }
  // a chained checkpoint is always made with a head naming it, which stays until a later one
  const last = checkpoints.at(-1);
  if (last && last.prevCheckpoint !== null && !heads.some((h) => h.checkpointSeq >= last.toSeq)) {
    problems.push(
      bad(
        last.toSeq,
        Problem.HeadRemoved,
        `the head signed with the checkpoint of ${range(last)} was removed`,
      ),
    );
  }
}

export async function verifyLedger(
  sql: Sql,
  publicKeyPem: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const roots = options.roots ?? false;
  const [head] = await sql.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM ledger_head WHERE id = 1',
  );
  if (!head) throw new Error('the ledger has no head row');
  const copy = options.copyDir ? await readCopy(options.copyDir) : undefined;
  const problems: BadEntry[] = [];
  const { checkpoints, heads } = gather(
    await listCheckpoints(sql),
    await listSignedHeads(sql),
    copy,
    publicKeyPem,
    problems,
  );
  checkpointProblems(checkpoints, heads, publicKeyPem, problems);
  const headAt = new Map<number, SignedHead>();
  for (const h of heads) if (newer(h, headAt.get(h.seq))) headAt.set(h.seq, h);

  const checker = new ChainChecker();
  let next = 0; // the checkpoint whose range is being read
  let anchored = 0; // the last entry found to match a checkpoint or a signed head
  let tree = new MerkleBuilder();
  // `checked`: the entries found good before the first bad one
  const fail = (firstBad: BadEntry): VerifyReport => ({
    ok: false,
    checked: Math.min(checker.lastSeq, firstBad.seq - 1),
    firstBad,
  });
  // problems are reported in seq order; at the same seq, what is wrong with the signed material
  // (the cause) before what it shows in the chain
  const first = (found: BadEntry | null, upto: number) =>
    [...problems, found]
      .filter((p): p is BadEntry => p !== null && p.seq <= upto)
      .sort((a, b) => a.seq - b.seq)[0];
  /** What is wrong at entry `e` (already found in the chain): the checkpoint or signed head ending there. */
  const anchorProblem = (e: LedgerEntry): BadEntry | null => {
    const c = checkpoints[next];
    if (c && e.seq === c.toSeq) {
      // the intact chain up to an entry whose hash is the signed last hash is the signed range
      // itself, entry for entry; the root is recomputed too when asked (it is what partners use)
      if (e.hash !== c.lastHash || (roots && tree.root() !== c.merkleRoot))
        return bad(
          c.fromSeq,
          Problem.CheckpointRoot,
          `${range(c)} do not match their signed checkpoint: they were rewritten`,
        );
      anchored = e.seq;
      next++;
      tree = new MerkleBuilder();
    }
    const signed = headAt.get(e.seq);
    if (signed) {
      const from = anchored + 1;
      if (e.hash !== signed.hash)
        return bad(
          from,
          Problem.HeadRewritten,
          `ledger entries ${from}-${e.seq} do not match ${headName(signed)}: one of them was rewritten`,
        );
      anchored = e.seq;
    }
    return null;
  };

  for await (const batch of entryBatches(sql, 0, options.batchSize ?? 50_000)) {
    const inChain = checker.check(batch);
    let found: BadEntry | null = null;
    for (const e of batch) {
      if (e.seq > checker.lastSeq) break;
      if (roots && next < checkpoints.length) tree.add(e.hash);
      // most entries end no checkpoint and no signed head
      if (e.seq !== checkpoints[next]?.toSeq && !headAt.has(e.seq)) continue;
      found = anchorProblem(e);
      if (found) break;
    }
    found ??= inChain;
    if (found) return fail(first(found, Number.MAX_SAFE_INTEGER) ?? found);
    // whatever the chain shows later lies after the last anchor: a problem before it is the first
    const before = first(null, anchored);
    if (before) return fail(before);
  }
  const lastCovered = checkpoints.at(-1)?.toSeq ?? 0;
  const latest = heads.reduce<SignedHead | undefined>((a, h) => (newer(h, a) ? h : a), undefined);
  const expectedLast = Math.max(head.seq, lastCovered, latest?.seq ?? 0);
  let end: BadEntry | null = null;
  if (checker.lastSeq < expectedLast) {
    const seq = checker.lastSeq + 1;
    const by =
      latest && latest.seq === expectedLast && latest.seq > head.seq
        ? `: ${headName(latest)} covers entry ${latest.seq}`
        : '';
    end = bad(
      seq,
      Problem.Removed,
      seq === expectedLast
        ? `ledger entry ${seq} was removed${by}`
        : `ledger entries ${seq}-${expectedLast} were removed${by}`,
    );
  } else if (checker.lastSeq > head.seq) {
    end = bad(head.seq + 1, Problem.Added, `ledger entry ${head.seq + 1} was added outside the ledger`);
  } else if (checker.lastHash !== head.hash) {
    end = bad(checker.lastSeq, Problem.Altered, `ledger entry ${checker.lastSeq} was altered`);
  }
  const found = first(end, Number.MAX_SAFE_INTEGER);
  if (found) return fail(found);
  return {
    ok: true,
    checked: checker.lastSeq,
    lastSeq: checker.lastSeq,
    checkpoints: checkpoints.length,
    signedHead: latest ? { seq: latest.seq, signedAt: latest.signedAt } : null,
    unsigned: checker.lastSeq - (latest?.seq ?? 0),
    copy: copy
      ? { dir: copy.dir, checkpoints: copy.checkpoints.length, headSeq: copy.head?.seq ?? null }
      : null,
  };
}

/**
 * Signed heads (ADR 0012): the chain's latest seq and hash, with the latest checkpoint, signed with
 * the administration's key by the server every minute, at each checkpoint and when a command that
 * changed data ends. Entries up to a signed head can no longer be removed or rewritten by someone
 * without the key. Signing reads the committed head and never locks the head row, so it does not
 * hold up appends. A head is signed only after the entries since the last signed one check out.
 */
import { setTimeout } from 'node:timers/promises';
import type { Database, Sql } from '../../db/database.ts';
import { ChainChecker, Problem, type BadEntry } from './chain.ts';
import { newer, readCopyHead, writeHeadCopy } from './copy.ts';
import { genesisHash } from './entry.ts';
import type { SignedHead } from './exported.ts';
import { entryBatches, readEntries } from './read.ts';
import { sealBeforeReading } from './seal.ts';
import {
  checkpointDigest,
  headMessage,
  loadSignerIfPresent,
  verifyClaim,
  verifyHead,
  type CheckpointClaim,
  type LedgerSigner,
} from './signing.ts';

const headColumns = `seq, hash, checkpoint_seq AS "checkpointSeq", checkpoint_hash AS "checkpointHash",
  signed_at AS "signedAt", key_id AS "keyId", signature`;

/** The signed heads in the database, oldest first (those since the last checkpoint, and its own). */
export const listSignedHeads = (sql: Sql): Promise<SignedHead[]> =>
  sql.query<SignedHead>(`SELECT ${headColumns} FROM ledger_signed_heads ORDER BY seq`);

export async function latestSignedHead(sql: Sql): Promise<SignedHead | undefined> {
  const [row] = await sql.query<SignedHead>(
    `SELECT ${headColumns} FROM ledger_signed_heads ORDER BY seq DESC LIMIT 1`,
  );
  return row;
}

/** One signer at a time per database (checkpoints and heads), without touching the head row. */
export async function lockSigning(tx: Sql): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('clearway-ledger-signing'))");
}

export async function committedHead(sql: Sql): Promise<{ seq: number; hash: string }> {
  const [head] = await sql.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM ledger_head WHERE id = 1',
  );
  if (!head) throw new Error('the ledger has no head row');
  return head;
}

/** Signs the head at `at` naming `checkpoint`, and keeps only the heads a later checkpoint does not cover. */
export async function storeSignedHead(
  tx: Sql,
  signer: LedgerSigner,
  at: { seq: number; hash: string },
  checkpoint: CheckpointClaim | undefined,
): Promise<SignedHead> {
  const claim = {
    seq: at.seq,
    hash: at.hash,
    checkpointSeq: checkpoint?.toSeq ?? 0,
    checkpointHash: checkpoint ? checkpointDigest(checkpoint) : genesisHash,
    signedAt: new Date().toISOString(),
  };
  const head: SignedHead = { ...claim, keyId: signer.keyId, signature: signer.sign(headMessage(claim)) };
  // a checkpoint ending at a head already signed signs it again, naming itself
  await tx.query(
    `INSERT INTO ledger_signed_heads (seq, hash, checkpoint_seq, checkpoint_hash, signed_at, key_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (seq) DO UPDATE SET hash = $2, checkpoint_seq = $3, checkpoint_hash = $4, signed_at = $5,
       key_id = $6, signature = $7`,
    [head.seq, head.hash, head.checkpointSeq, head.checkpointHash, head.signedAt, head.keyId, head.signature],
  );
  // what a checkpoint covers needs no heads; without checkpoints, the latest thousand are kept
  await tx.query(
    `DELETE FROM ledger_signed_heads WHERE seq < $1 AND seq < $2
       OR seq < (SELECT seq FROM ledger_signed_heads ORDER BY seq DESC OFFSET 999 LIMIT 1)`,
    [head.checkpointSeq, head.seq],
  );
  return head;
}

/** A signed point the chain after it is checked from; `rewritten` is the problem when its entry changed. */
export interface Anchor {
  seq: number;
  hash: string;
  by: string;
  rewritten: Problem;
}

const removed = (from: number, to: number, by: string): BadEntry => ({
  seq: from,
  problem: Problem.Removed,
  message:
    from === to
      ? `ledger entry ${from} was removed: ${by} covers it`
      : `ledger entries ${from}-${to} were removed: ${by} covers entry ${to}`,
});

/**
 * What is wrong with the entries after `anchor` (a signed head or a checkpoint's end) up to the
 * committed head, or null: the anchor entry must still have the signed hash, the chain after it
 * must hold, and the head must not have gone back.
 */
export async function checkSince(
  tx: Sql,
  anchor: Anchor | undefined,
  head: { seq: number },
  visit?: (hash: string) => void,
  pace: CheckPace = inOnePass,
): Promise<BadEntry | null> {
  const from = anchor ?? { seq: 0, hash: genesisHash, by: '', rewritten: Problem.Altered };
  if (head.seq < from.seq) return removed(head.seq + 1, from.seq, from.by);
  if (from.seq > 0) {
    const [entry] = await readEntries(tx, from.seq - 1, 1);
    if (!entry || entry.seq !== from.seq) return removed(from.seq, from.seq, from.by);
    if (entry.hash !== from.hash) {
      return {
        seq: from.seq,
        problem: from.rewritten,
        message: `ledger entry ${from.seq} does not match ${from.by}: it was rewritten`,
      };
    }
  }
  const checker = new ChainChecker(from.seq, from.hash);
  for await (const batch of entryBatches(tx, from.seq, pace.batch, head.seq)) {
    const bad = checker.check(batch);
    if (bad) return bad;
    if (visit) for (const e of batch) visit(e.hash);
    if (pace.pauseMs > 0) await setTimeout(pace.pauseMs);
  }
  if (checker.lastSeq !== head.seq) {
    const seq = checker.lastSeq + 1;
    return { seq, problem: Problem.Removed, message: `ledger entry ${seq} was removed` };
  }
  return null;
}

/** How many entries a check reads at a time, and how long it pauses after each batch. */
interface CheckPace {
  batch: number;
  pauseMs: number;
}

const inOnePass: CheckPace = { batch: 50_000, pauseMs: 0 };

/**
 * Outside any transaction, a server checking a minute of entries before signing keeps answering
 * requests: a millisecond or two of reading and hashing, then a pause as long, in which requests
 * that came in meanwhile, and their statements, go first.
 */
const gently: CheckPace = { batch: 200, pauseMs: 1 };

/**
 * Which row versions hold the entries after `after` up to `upto`: an UPDATE or DELETE of any of them
 * changes it, since a new row version has a new place and transaction id, which nobody chooses.
 */
async function rowVersions(sql: Sql, after: number, upto: number): Promise<string> {
  const [row] = await sql.query<{ n: string; v: string }>(
    `SELECT count(*)::text AS n, coalesce(sum(hashtextextended(ctid::text || '/' || xmin::text, 0)), 0)::text AS v
     FROM ledger WHERE seq > $1 AND seq <= $2`,
    [after, upto],
  );
  return `${row?.n}:${row?.v}`;
}

/** Entries checked before the signing transaction, and the row versions they were read from. */
interface Prechecked {
  anchor: Anchor | undefined;
  head: { seq: number; hash: string };
  versions: string;
}

/**
 * The long part of signing, run outside any transaction (on PGlite a transaction holds the only
 * connection, and lodging would wait for it): the entries since the latest signed point, checked
 * gently. Undefined when there is nothing to check, or anything looks wrong: the signing
 * transaction then checks everything itself, under the signing lock, and names what it finds.
 */
async function precheck(
  db: Database,
  signer: LedgerSigner,
  copyDir?: string,
): Promise<Prechecked | undefined> {
  const read = await signingState(db, signer, copyDir);
  if (!read.ok || nothingNew(read.state)) return undefined;
  const anchor = anchorOf(read.state);
  const { head } = read.state;
  if (head.seq < (anchor?.seq ?? 0)) return undefined;
  // taken before the entries are read: a change after it, even one undone, shows in the transaction
  const versions = await rowVersions(db, Math.max((anchor?.seq ?? 0) - 1, 0), head.seq);
  const bad = await checkSince(db, anchor, head, undefined, gently);
  return bad ? undefined : { anchor, head, versions };
}

export const headName = (h: SignedHead) => `the head signed at ${h.signedAt}`;

interface StoredCheckpoint extends CheckpointClaim {
  signature: string;
}

/** Where signing stands: the committed head, the latest signed head and checkpoint, and the anchor to check from. */
export interface SigningState {
  head: { seq: number; hash: string };
  latest: SignedHead | undefined;
  checkpoint: StoredCheckpoint | undefined;
}

const badAt = (seq: number, problem: Problem, message: string): BadEntry => ({ seq, problem, message });

/**
 * Reads where signing stands and refuses to go on from signed material that does not hold: the
 * latest head and checkpoint must verify and agree, and the copy folder must not hold a newer head.
 * Signing over a gap would make the evidence of it disappear.
 */
export async function signingState(
  tx: Sql,
  signer: LedgerSigner,
  copyDir: string | undefined,
): Promise<{ ok: true; state: SigningState } | { ok: false; firstBad: BadEntry }> {
  const head = await committedHead(tx);
  const latest = await latestSignedHead(tx);
  const [checkpoint] = await tx.query<StoredCheckpoint>(
    `SELECT from_seq AS "fromSeq", to_seq AS "toSeq", last_hash AS "lastHash", merkle_root AS "merkleRoot",
       signed_at AS "signedAt", prev_checkpoint AS "prevCheckpoint", signature
     FROM ledger_checkpoints ORDER BY to_seq DESC LIMIT 1`,
  );
  const key = signer.publicKeyPem;
  const fail = (firstBad: BadEntry) => ({ ok: false as const, firstBad });
  if (checkpoint && !verifyClaim(checkpoint, checkpoint.signature, key))
    return fail(
      badAt(checkpoint.fromSeq, Problem.CheckpointSignature, `the latest checkpoint does not verify`),
    );
  if (latest && !verifyHead(latest, latest.signature, key))
    return fail(badAt(latest.seq, Problem.HeadSignature, `${headName(latest)} does not verify`));
  const checkpointSeq = checkpoint?.toSeq ?? 0;
  if (latest && latest.checkpointSeq > checkpointSeq)
    return fail(
      badAt(
        checkpointSeq + 1,
        Problem.CheckpointRemoved,
        `the checkpoint ${headName(latest)} names was removed`,
      ),
    );
  if (
    checkpoint &&
    latest?.checkpointSeq === checkpointSeq &&
    latest.checkpointHash !== checkpointDigest(checkpoint)
  )
    return fail(
      badAt(
        checkpoint.fromSeq,
        Problem.CheckpointReplaced,
        `the latest checkpoint is not the one ${headName(latest)} names`,
      ),
    );
  if (checkpoint && checkpoint.prevCheckpoint !== null && (latest?.checkpointSeq ?? 0) < checkpointSeq)
    return fail(
      badAt(checkpointSeq, Problem.HeadRemoved, `the head signed with the latest checkpoint was removed`),
    );
  const copied = copyDir ? await readCopyHead(copyDir) : undefined;
  if (copied && verifyHead(copied, copied.signature, key) && newer(copied, latest))
    return fail(
      badAt(
        copied.seq,
        Problem.HeadRemoved,
        `${headName(copied)} is in the copy folder, not in the database`,
      ),
    );
  return { ok: true, state: { head, latest, checkpoint } };
}

/** The latest signed point to check the chain from: the latest head, or the latest checkpoint's end. */
export function anchorOf(state: SigningState): Anchor | undefined {
  const { latest, checkpoint } = state;
  if (latest && latest.seq >= (checkpoint?.toSeq ?? 0))
    return { seq: latest.seq, hash: latest.hash, by: headName(latest), rewritten: Problem.HeadRewritten };
  return (
    checkpoint && {
      seq: checkpoint.toSeq,
      hash: checkpoint.lastHash,
      by: `the checkpoint of entries ${checkpoint.fromSeq}-${checkpoint.toSeq}`,
      rewritten: Problem.CheckpointRoot,
    }
  );
}

/** The latest signed head is the committed head, and names the latest checkpoint. */
const nothingNew = ({ head, latest, checkpoint }: SigningState) =>
  latest !== undefined && latest.seq === head.seq && latest.checkpointSeq === (checkpoint?.toSeq ?? 0);

const sameAnchor = (a: Anchor | undefined, b: Anchor | undefined) => a?.seq === b?.seq && a?.hash === b?.hash;

export type HeadOutcome =
  | { signed: true; head: SignedHead }
  | { signed: false; reason: 'nothing_new'; head: SignedHead }
  | { signed: false; reason: 'tampered'; firstBad: BadEntry };

/**
 * Signs the committed head when it moved since the last signed one, having checked the entries
 * since; then copies the latest signed head into `copyDir` (when given).
 */
export async function signHead(db: Database, signer: LedgerSigner, copyDir?: string): Promise<HeadOutcome> {
  await sealBeforeReading(db);
  const pre = await precheck(db, signer, copyDir);
  const outcome = await db.transaction(async (tx): Promise<HeadOutcome> => {
    await lockSigning(tx);
    const read = await signingState(tx, signer, copyDir);
    if (!read.ok) return { signed: false, reason: 'tampered', firstBad: read.firstBad };
    const { head, latest, checkpoint } = read.state;
    if (latest && nothingNew(read.state)) return { signed: false, reason: 'nothing_new', head: latest };
    // what was checked before holds when the signed point is the same and no entry up to the head
    // checked then (the signed point's own included) was written since: only what was sealed after
    // it is left to check
    const anchor = anchorOf(read.state);
    const unchanged =
      pre !== undefined &&
      sameAnchor(pre.anchor, anchor) &&
      head.seq >= pre.head.seq &&
      (await rowVersions(tx, Math.max((anchor?.seq ?? 0) - 1, 0), pre.head.seq)) === pre.versions;
    const from = unchanged
      ? { ...pre.head, by: 'the head checked before signing', rewritten: Problem.Altered }
      : anchor;
    const firstBad = await checkSince(tx, from, head);
    if (firstBad) return { signed: false, reason: 'tampered', firstBad };
    return { signed: true, head: await storeSignedHead(tx, signer, head, checkpoint) };
  });
  if (copyDir && 'head' in outcome) await writeHeadCopy(copyDir, outcome.head);
  return outcome;
}

/**
 * What a process that may have changed data runs as it ends (a CLI command, the server): signs the
 * head when it moved since `openedAt`, with the key if its file exists. A process without the key
 * signs nothing and creates none: the server signs within a minute.
 */
export async function signHeadAtEnd(
  db: Database,
  settings: { ledgerKeyFile: string; ledgerCopyDir: string },
  openedAt: number,
): Promise<HeadOutcome | undefined> {
  if ((await committedHead(db)).seq === openedAt) return undefined;
  const signer = await loadSignerIfPresent(settings.ledgerKeyFile);
  return signer ? signHead(db, signer, settings.ledgerCopyDir) : undefined;
}

/**
 * Checkpoints: a signed Merkle root over the entries since the previous checkpoint. Published or
 * sent to partners, a checkpoint lets them check entries without access to our database.
 */
import type { Database, Sql } from '../../db/database.ts';
import { Problem, type BadEntry } from './chain.ts';
import { writeCheckpointCopy, writeHeadCopy } from './copy.ts';
import { genesisHash } from './entry.ts';
import { CheckpointFormat, headExport, type CheckpointExport, type SignedHead } from './exported.ts';
import {
  anchorOf,
  checkSince,
  headName,
  latestSignedHead,
  listSignedHeads,
  lockSigning,
  signingState,
  storeSignedHead,
} from './heads.ts';
import { MerkleBuilder } from './merkle.ts';
import { entryBatches } from './read.ts';
import { sealBeforeReading } from './seal.ts';
import {
  checkpointDigest,
  claimMessage,
  verifyClaim,
  verifyHead,
  type CheckpointClaim,
  type LedgerSigner,
} from './signing.ts';

export type { CheckpointExport } from './exported.ts';

export interface Checkpoint extends CheckpointClaim {
  id: number;
  keyId: string;
  signature: string;
}

const columns = `id, from_seq AS "fromSeq", to_seq AS "toSeq", last_hash AS "lastHash",
  merkle_root AS "merkleRoot", signed_at AS "signedAt", prev_checkpoint AS "prevCheckpoint", key_id AS "keyId",
  signature`;

export async function listCheckpoints(sql: Sql): Promise<Checkpoint[]> {
  return sql.query<Checkpoint>(`SELECT ${columns} FROM ledger_checkpoints ORDER BY to_seq`);
}

export async function findCheckpoint(sql: Sql, id: number): Promise<Checkpoint | undefined> {
  const [row] = await sql.query<Checkpoint>(`SELECT ${columns} FROM ledger_checkpoints WHERE id = $1`, [id]);
  return row;
}

export type CheckpointOutcome =
  | { made: true; checkpoint: Checkpoint; head: SignedHead }
  | { made: false; reason: 'nothing_new' }
  | { made: false; reason: 'tampered'; firstBad: BadEntry };

/**
 * Signs the entries after the last checkpoint, chained to it, having checked them first (their
 * chain and the heads signed since): a checkpoint never vouches for a tampered ledger. The head at
 * its end is signed again naming it. Then both are copied into `copyDir` when given. Appends go
 * on meanwhile: only committed entries are read, and the head row is not locked.
 */
export async function makeCheckpoint(
  db: Database,
  signer: LedgerSigner,
  copyDir?: string,
): Promise<CheckpointOutcome> {
  await sealBeforeReading(db);
  const outcome = await db.transaction(async (tx): Promise<CheckpointOutcome> => {
    await lockSigning(tx);
    const read = await signingState(tx, signer, copyDir);
    if (!read.ok) return { made: false, reason: 'tampered', firstBad: read.firstBad };
    const { head, latest, checkpoint: last } = read.state;
    const fromSeq = (last?.toSeq ?? 0) + 1;
    // the head went back below what was signed: entries were removed
    const lost = latest && latest.seq > head.seq ? await checkSince(tx, anchorOf(read.state), head) : null;
    if (lost) return { made: false, reason: 'tampered', firstBad: lost };
    if (head.seq === fromSeq - 1) return { made: false, reason: 'nothing_new' };
    const signedHeads = new Map(
      (await listSignedHeads(tx)).filter((h) => h.seq >= fromSeq).map((h) => [h.seq, h]),
    );
    const tree = new MerkleBuilder();
    let seq = fromSeq - 1;
    const found: { rewritten?: BadEntry } = {};
    const anchor = last && {
      seq: last.toSeq,
      hash: last.lastHash,
      by: `the checkpoint of entries ${last.fromSeq}-${last.toSeq}`,
      rewritten: Problem.CheckpointRoot,
    };
    const bad = await checkSince(tx, anchor, head, (hash) => {
      seq++;
      tree.add(hash);
      const signed = signedHeads.get(seq);
      if (signed && (signed.hash !== hash || !verifyHead(signed, signed.signature, signer.publicKeyPem)))
        found.rewritten ??= {
          seq: fromSeq,
          problem: Problem.HeadRewritten,
          message: `ledger entries ${fromSeq}-${seq} do not match ${headName(signed)}: one of them was rewritten`,
        };
    });
    const firstBad = bad ?? found.rewritten;
    if (firstBad) return { made: false, reason: 'tampered', firstBad };
    const claim: CheckpointClaim = {
      fromSeq,
      toSeq: head.seq,
      lastHash: head.hash,
      merkleRoot: tree.root(),
      signedAt: new Date().toISOString(),
      prevCheckpoint: last ? checkpointDigest(last) : genesisHash,
    };
    const signature = signer.sign(claimMessage(claim));
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO ledger_checkpoints (from_seq, to_seq, last_hash, merkle_root, signed_at, prev_checkpoint, key_id,
         signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        claim.fromSeq,
        claim.toSeq,
        claim.lastHash,
        claim.merkleRoot,
        claim.signedAt,
        claim.prevCheckpoint,
        signer.keyId,
        signature,
      ],
    );
    if (!row) throw new Error('the checkpoint was not stored');
    const signedHead = await storeSignedHead(tx, signer, head, claim);
    return {
      made: true,
      checkpoint: { ...claim, id: row.id, keyId: signer.keyId, signature },
      head: signedHead,
    };
  });
  if (copyDir && outcome.made) {
    await writeCheckpointCopy(copyDir, toExport(outcome.checkpoint, signer.publicKeyPem));
    await writeHeadCopy(copyDir, outcome.head);
  }
  return outcome;
}

const toExport = (checkpoint: Checkpoint, publicKeyPem: string): CheckpointExport => ({
  format: checkpoint.prevCheckpoint === null ? CheckpointFormat.V1 : CheckpointFormat.V2,
  fromSeq: checkpoint.fromSeq,
  toSeq: checkpoint.toSeq,
  lastHash: checkpoint.lastHash,
  merkleRoot: checkpoint.merkleRoot,
  signedAt: checkpoint.signedAt,
  prevCheckpoint: checkpoint.prevCheckpoint,
  keyId: checkpoint.keyId,
  signature: checkpoint.signature,
  publicKey: publicKeyPem,
});

/**
 * The checkpoint in the form partners receive, with the latest signed head that names it or a later
 * checkpoint (so that partners keep a copy of the head too); with `leaves`, the entry hashes it covers.
 */
export async function exportCheckpoint(
  sql: Sql,
  checkpoint: Checkpoint,
  publicKeyPem: string,
  withLeaves: boolean,
): Promise<CheckpointExport> {
  const out = toExport(checkpoint, publicKeyPem);
  const head = await latestSignedHead(sql);
  if (head && head.checkpointSeq >= checkpoint.toSeq) out.head = headExport(head);
  if (withLeaves) {
    const leaves: string[] = [];
    for await (const batch of entryBatches(sql, checkpoint.fromSeq - 1, 50_000, checkpoint.toSeq)) {
      for (const e of batch) leaves.push(e.hash);
    }
    out.leaves = leaves;
  }
  return out;
}

/**
 * What a partner runs on an exported checkpoint with nothing but our public key (PEM): the
 * signature, the head kept with it, and with leaves, that they are the whole range and give the
 * signed root.
 */
export function verifyExportedCheckpoint(
  exported: CheckpointExport,
  publicKeyPem: string,
): { ok: true } | { ok: false; message: string } {
  if (!verifyClaim(exported, exported.signature, publicKeyPem)) {
    return { ok: false, message: 'the signature does not verify with this public key' };
  }
  const head = exported.head;
  if (head) {
    if (!verifyHead(head, head.signature, publicKeyPem))
      return { ok: false, message: 'the signed head does not verify with this public key' };
    if (head.checkpointSeq === exported.toSeq && head.checkpointHash !== checkpointDigest(exported))
      return { ok: false, message: 'the signed head names another checkpoint for this range' };
  }
  if (exported.leaves) {
    const expected = exported.toSeq - exported.fromSeq + 1;
    if (exported.leaves.length !== expected) {
      return { ok: false, message: `${exported.leaves.length} leaves for a range of ${expected} entries` };
    }
    if (exported.leaves.at(-1) !== exported.lastHash) {
      return { ok: false, message: 'the last leaf is not the signed last hash' };
    }
    const tree = new MerkleBuilder();
    for (const leaf of exported.leaves) tree.add(leaf);
    if (tree.root() !== exported.merkleRoot) {
      return { ok: false, message: 'the leaves do not give the signed Merkle root' };
    }
  }
  return { ok: true };
}

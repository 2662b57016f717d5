/**
 * Checkpoints: a signed Merkle root over the entries since the previous checkpoint. Published or
 * sent to partners, a checkpoint lets them check entries without access to our database.
 */
import type { Database, Sql } from '../../db/database.ts';
import { ChainChecker, type BadEntry } from './chain.ts';
import { genesisHash } from './entry.ts';
import { MerkleBuilder } from './merkle.ts';
import { entryBatches } from './read.ts';
import { verifyClaim, type CheckpointClaim, type LedgerSigner } from './signing.ts';

export interface Checkpoint extends CheckpointClaim {
  id: number;
  keyId: string;
  signature: string;
}

/** A checkpoint as handed to partners: what is signed, the signature, and optionally the leaves. */
export interface CheckpointExport extends Omit<Checkpoint, 'id'> {
  format: 'clearway-ledger-checkpoint-v1';
  publicKey: string;
  /** The entry hashes from `fromSeq` to `toSeq`, to prove that an entry is included. */
  leaves?: string[];
}

const columns = `id, from_seq AS "fromSeq", to_seq AS "toSeq", last_hash AS "lastHash",
  merkle_root AS "merkleRoot", signed_at AS "signedAt", key_id AS "keyId", signature`;

export async function listCheckpoints(sql: Sql): Promise<Checkpoint[]> {
  return sql.query<Checkpoint>(`SELECT ${columns} FROM ledger_checkpoints ORDER BY to_seq`);
}

export async function findCheckpoint(sql: Sql, id: number): Promise<Checkpoint | undefined> {
  const [row] = await sql.query<Checkpoint>(`SELECT ${columns} FROM ledger_checkpoints WHERE id = $1`, [id]);
  return row;
}

export type CheckpointOutcome =
  | { made: true; checkpoint: Checkpoint }
  | { made: false; reason: 'nothing_new' }
  | { made: false; reason: 'tampered'; firstBad: BadEntry };

/**
 * Signs the entries after the last checkpoint, having checked their chain first: a checkpoint
 * never vouches for a tampered ledger. Appends wait while it is made (the head row is locked).
 */
export async function makeCheckpoint(db: Database, signer: LedgerSigner): Promise<CheckpointOutcome> {
  return db.transaction(async (tx) => {
    const [head] = await tx.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE');
    const [last] = await tx.query<{ toSeq: number; lastHash: string }>(
      'SELECT to_seq AS "toSeq", last_hash AS "lastHash" FROM ledger_checkpoints ORDER BY to_seq DESC LIMIT 1',
    );
    const fromSeq = (last?.toSeq ?? 0) + 1;
    if (!head || head.seq < fromSeq) return { made: false, reason: 'nothing_new' } as const;
    const checker = new ChainChecker(fromSeq - 1, last?.lastHash ?? genesisHash);
    const tree = new MerkleBuilder();
    for await (const batch of entryBatches(tx, fromSeq - 1, 50_000, head.seq)) {
      const bad = checker.check(batch);
      if (bad) return { made: false, reason: 'tampered', firstBad: bad } as const;
      for (const e of batch) tree.add(e.hash);
    }
    if (checker.lastSeq !== head.seq) {
      const seq = checker.lastSeq + 1;
      return {
        made: false,
        reason: 'tampered',
        firstBad: { seq, problem: 'removed', message: `ledger entry ${seq} was removed` },
      } as const;
    }
    const claim: CheckpointClaim = {
      fromSeq,
      toSeq: head.seq,
      lastHash: checker.lastHash,
      merkleRoot: tree.root(),
      signedAt: new Date().toISOString(),
    };
    const signature = signer.sign(claim);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO ledger_checkpoints (from_seq, to_seq, last_hash, merkle_root, signed_at, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [claim.fromSeq, claim.toSeq, claim.lastHash, claim.merkleRoot, claim.signedAt, signer.keyId, signature],
    );
    if (!row) throw new Error('the checkpoint was not stored');
    return { made: true, checkpoint: { ...claim, id: row.id, keyId: signer.keyId, signature } } as const;
  });
}

/** The checkpoint in the form partners receive; with `leaves`, the entry hashes it covers. */
export async function exportCheckpoint(
  sql: Sql,
  checkpoint: Checkpoint,
  publicKeyPem: string,
  withLeaves: boolean,
): Promise<CheckpointExport> {
  const { id: _id, ...rest } = checkpoint;
  const out: CheckpointExport = { format: 'clearway-ledger-checkpoint-v1', ...rest, publicKey: publicKeyPem };
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
 * signature, and with leaves, that they are the whole range and give the signed root.
 */
export function verifyExportedCheckpoint(
  exported: CheckpointExport,
  publicKeyPem: string,
): { ok: true } | { ok: false; message: string } {
  const claim: CheckpointClaim = {
    fromSeq: exported.fromSeq,
    toSeq: exported.toSeq,
    lastHash: exported.lastHash,
    merkleRoot: exported.merkleRoot,
    signedAt: exported.signedAt,
  };
  if (!verifyClaim(claim, exported.signature, publicKeyPem)) {
    return { ok: false, message: 'the signature does not verify with this public key' };
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

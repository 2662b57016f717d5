/**
 * Recording a change in the ledger inside the caller's transaction: a change that rolls back leaves
 * no entry, and a change that commits has its entry committed with it (ADR 0013).
 *
 * `recordChange` inserts the entry into `ledger_pending` with its time and canonical data, and
 * takes no lock: changes no longer wait for each other. The sealer (seal.ts) chains pending entries
 * shortly after they commit. `recordChained` chains the entry at once, under the head row's lock
 * held to the end of the transaction, for the rare change that must name its seq and hash before it
 * commits (an archive's manifest).
 */
import type { Database, PreparedStatement, Sql } from '../../db/database.ts';
import { canonicalJson, entryHash, type LedgerEntry, type LedgerRecord } from './entry.ts';
import { chainPending, lockHead } from './seal.ts';
import { notePending } from './seal-signal.ts';

/** The entry's data as the canonical JSON text that is stored and hashed, and its time. */
function prepared(r: LedgerRecord) {
  // through JSON first, as a value is sent anywhere (dates become strings, undefined goes)
  const plain: unknown = r.data === null ? null : JSON.parse(JSON.stringify(r.data));
  return { ...r, data: canonicalJson(plain), at: new Date().toISOString() };
}

// prepared: parsing and planning it would cost PGlite more than running it
const insertPending: PreparedStatement = {
  name: 'ledger_record',
  text: `INSERT INTO ledger_pending (at, actor, action, subject_kind, subject_id, data)
    VALUES ($1::timestamptz, $2, $3, $4, $5, $6)`,
};

/** Records a change in the transaction `tx` that makes it; the sealer chains it after the commit. */
export async function recordChange(tx: Sql, r: LedgerRecord): Promise<void> {
  const e = prepared(r);
  await tx.query(insertPending, [e.at, e.actor, e.action, e.subjectKind, e.subjectId, e.data]);
  notePending();
}

const append: PreparedStatement = {
  name: 'ledger_append',
  text: `INSERT INTO ledger (seq, at, actor, action, subject_kind, subject_id, data, prev_hash, hash)
    VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9)`,
};

/**
 * Records a change chained at once, in the transaction `tx` that makes it: the head row stays
 * locked until `tx` ends (the sealer waits meanwhile, changes recorded with `recordChange` do not).
 * The entries committed before it and still pending are chained first, so the chain keeps the order
 * in which changes were made.
 */
export async function recordChained(tx: Sql, r: LedgerRecord): Promise<LedgerEntry> {
  const e = prepared(r);
  let head = await lockHead(tx);
  for (let chained = 1; chained > 0;) ({ head, chained } = await chainPending(tx, head));
  const entry = { ...e, seq: head.seq + 1, prevHash: head.hash };
  const hash = entryHash(entry);
  const values = [entry.seq, e.at, e.actor, e.action, e.subjectKind, e.subjectId, e.data, head.hash, hash];
  await tx.query(append, values);
  await tx.query('UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1', [entry.seq, hash]);
  return { ...entry, hash };
}

/**
 * Runs `fn` in a transaction when `sql` is the database itself, or in the caller's transaction,
 * so that a change and its ledger entry are committed together either way.
 */
export function withinTransaction<T>(sql: Sql | Database, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return 'transaction' in sql ? sql.transaction(fn) : fn(sql);
}

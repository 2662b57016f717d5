/**
 * Appending to the ledger inside the caller's transaction: a change that rolls back leaves no
 * entry. One statement per entry in the common case: the head row is updated only if it still
 * holds the head this process last wrote, and that conditional UPDATE is also what serialises
 * appends across connections (the row stays locked until the transaction ends).
 */
import type { Database, PreparedStatement, Sql } from '../../db/database.ts';
import { canonicalJson, entryHash, genesisHash, type LedgerEntry, type LedgerRecord } from './entry.ts';

interface Head {
  seq: number;
  hash: string;
}

/**
 * The head this process appended last: a guess only. Another process, a rolled-back transaction
 * or another database makes it stale, and then the conditional update finds nothing and the
 * head is read under lock.
 */
let guess: Head = { seq: 0, hash: genesisHash };

// prepared: parsing and planning it cost PGlite twice what running it does
const append: PreparedStatement = {
  name: 'ledger_append',
  text: `WITH head AS (
    UPDATE ledger_head SET seq = $1, hash = $9 WHERE id = 1 AND seq = $1 - 1 AND hash = $8 RETURNING seq
  )
  INSERT INTO ledger (seq, at, actor, action, subject_kind, subject_id, data, prev_hash, hash)
  SELECT $1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9 FROM head
  RETURNING seq`,
};

async function tryAppend(
  tx: Sql,
  head: Head,
  r: Omit<LedgerEntry, 'seq' | 'at' | 'prevHash' | 'hash'>,
  at: string,
): Promise<LedgerEntry | null> {
  const entry = { ...r, seq: head.seq + 1, at, prevHash: head.hash };
  const hash = entryHash(entry);
  const rows = await tx.query(append, [
    entry.seq,
    at,
    r.actor,
    r.action,
    r.subjectKind,
    r.subjectId,
    r.data,
    head.hash,
    hash,
  ]);
  return rows.length > 0 ? { ...entry, hash } : null;
}

/** Records a change in the transaction `tx` that makes it. */
export async function recordChange(tx: Sql, r: LedgerRecord): Promise<LedgerEntry> {
  // through JSON first, as a value is sent anywhere (dates become strings, undefined goes)
  const plain: unknown = r.data === null ? null : JSON.parse(JSON.stringify(r.data));
  const record = { ...r, data: canonicalJson(plain) };
  const at = new Date().toISOString();
  let entry = await tryAppend(tx, guess, record, at);
  if (!entry) {
    const [head] = await tx.query<Head>('SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE');
    if (!head) throw new Error('the ledger has no head row');
    entry = await tryAppend(tx, head, record, at);
    if (!entry) throw new Error(`the ledger head moved while locked at ${head.seq}`);
  }
  guess = { seq: entry.seq, hash: entry.hash };
  return entry;
}

/**
 * Runs `fn` in a transaction when `sql` is the database itself, or in the caller's transaction,
 * so that a change and its ledger entry are committed together either way.
 */
export function withinTransaction<T>(sql: Sql | Database, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return 'transaction' in sql ? sql.transaction(fn) : fn(sql);
}

/** Reading the ledger in seq order, in large keyset batches (a million entries never sit in memory). */
import type { Sql } from '../../db/database.ts';
import type { LedgerEntry } from './entry.ts';

// the time formatted by the database exactly as it was written (ISO 8601, milliseconds, UTC): a
// million timestamps are not parsed into dates and back
export const entryColumns = `seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action,
  subject_kind AS "subjectKind", subject_id AS "subjectId", data, prev_hash AS "prevHash", hash`;

/** Entries after `afterSeq` (up to `uptoSeq` if given), oldest first. */
export async function readEntries(
  sql: Sql,
  afterSeq: number,
  limit: number,
  uptoSeq?: number,
): Promise<LedgerEntry[]> {
  return uptoSeq === undefined
    ? sql.query<LedgerEntry>(`SELECT ${entryColumns} FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2`, [
        afterSeq,
        limit,
      ])
    : sql.query<LedgerEntry>(
        `SELECT ${entryColumns} FROM ledger WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`,
        [afterSeq, limit, uptoSeq],
      );
}

/** Every entry after `afterSeq`, batch by batch. */
export async function* entryBatches(
  sql: Sql,
  afterSeq: number,
  batchSize: number,
  uptoSeq?: number,
): AsyncGenerator<LedgerEntry[]> {
  for (let after = afterSeq; ;) {
    const batch = await readEntries(sql, after, batchSize, uptoSeq);
    if (batch.length === 0) return;
    yield batch;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return;
    after = last.seq;
  }
}

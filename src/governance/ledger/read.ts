/** Reading the ledger in seq order, in large keyset batches (a million entries never sit in memory). */
import { parseCopyText } from '../../db/copy-text.ts';
import type { Sql } from '../../db/database.ts';
import type { LedgerEntry, SubjectKind } from './entry.ts';

// the time formatted by the database exactly as it was written (ISO 8601, milliseconds, UTC): a
// million timestamps are not parsed into dates and back
export const writtenAt = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const entryColumns = `seq, ${writtenAt} AS at, actor, action, subject_kind AS "subjectKind",
  subject_id AS "subjectId", data, prev_hash AS "prevHash", hash`;

/** A text column escaped as in COPY text format, so that its tabs and line breaks delimit nothing. */
const escaped = (column: string) =>
  String.raw`replace(replace(replace(${column}, '\', '\\'), E'\t', '\t'), E'\n', '\n')`;

/** The entries of a batch as one text value, a line of COPY text per entry. */
const entryLines = String.raw`string_agg(concat_ws(E'\t', seq, ${writtenAt}, ${escaped('actor')},
    ${escaped('action')}, ${escaped('subject_kind')}, coalesce(${escaped('subject_id')}, '\N'),
    ${escaped('data')}, ${escaped('prev_hash')}, ${escaped('hash')}
  ), E'\n' ORDER BY seq) AS lines`;

function entryOf([seq, at, actor, action, subjectKind, subjectId, data, prevHash, hash]: (
  string | null
)[]): LedgerEntry {
  // every column but subject_id is NOT NULL
  return {
    seq: Number(seq),
    at: String(at),
    actor: String(actor),
    action: String(action),
    subjectKind: String(subjectKind) as SubjectKind,
    subjectId: subjectId ?? null,
    data: String(data),
    prevHash: String(prevHash),
    hash: String(hash),
  };
}

/** Entries after `afterSeq` (up to `uptoSeq` if given), oldest first. */
export async function readEntries(
  sql: Sql,
  afterSeq: number,
  limit: number,
  uptoSeq?: number,
): Promise<LedgerEntry[]> {
  const where = uptoSeq === undefined ? 'seq > $1' : 'seq > $1 AND seq <= $3';
  const params = uptoSeq === undefined ? [afterSeq, limit] : [afterSeq, limit, uptoSeq];
  if (sql.kind === 'postgres') {
    return sql.query<LedgerEntry>(
      `SELECT ${entryColumns} FROM ledger WHERE ${where} ORDER BY seq LIMIT $2`,
      params,
    );
  }
  // PGlite's driver decodes every value of every row on its own: reading a million entries so took
  // 16 of the 17 s of verifying them, and one value per batch brings verifying down to 6.6 s. A
  // server's driver reads rows quickly, and joining them would only add to the server's work.
  const [batch] = await sql.query<{ lines: string | null }>(
    `SELECT ${entryLines} FROM (SELECT * FROM ledger WHERE ${where} ORDER BY seq LIMIT $2) batch`,
    params,
  );
  return batch?.lines ? parseCopyText(batch.lines).map(entryOf) : [];
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

/** What the auditor narrows the ledger to; every part optional. */
export interface EntryFilter {
  actor?: string;
  action?: string;
  subjectKind?: SubjectKind;
  subjectId?: string;
  /** Written at or after this moment (ISO 8601). */
  from?: string;
  /** Written before this moment (ISO 8601). */
  to?: string;
}

/**
 * A page of the entries after `afterSeq` that match `filter`, oldest first. The filter's values are
 * parameters; the scan walks the primary key in seq order and stops once the page is full.
 */
export async function findEntries(
  sql: Sql,
  filter: EntryFilter,
  afterSeq: number,
  limit: number,
): Promise<LedgerEntry[]> {
  const params: unknown[] = [afterSeq, limit];
  const where = ['seq > $1'];
  const match = (condition: (p: string) => string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  match((p) => `actor = ${p}`, filter.actor);
  match((p) => `action = ${p}`, filter.action);
  match((p) => `subject_kind = ${p}`, filter.subjectKind);
  match((p) => `subject_id = ${p}`, filter.subjectId);
  match((p) => `at >= ${p}::timestamptz`, filter.from);
  match((p) => `at < ${p}::timestamptz`, filter.to);
  return sql.query<LedgerEntry>(
    `SELECT ${entryColumns} FROM ledger WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $2`,
    params,
  );
}

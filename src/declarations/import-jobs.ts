/**
 * Uploaded declaration files in storage: the job of each upload with its progress and summary, and
 * the first findings of its rejected rows. Every read is scoped by the caller; every state change is
 * one conditional UPDATE on the status, so a finished job never moves again.
 */
import type { Sql } from '../db/database.ts';

export const ImportStatus = {
  Receiving: 'receiving',
  Importing: 'importing',
  Assessing: 'assessing',
  Done: 'done',
  Failed: 'failed',
} as const;
export type ImportStatus = (typeof ImportStatus)[keyof typeof ImportStatus];

const unfinished = `status IN ('receiving', 'importing', 'assessing')`;

/** How many findings of rejected rows are kept per import; the rest are only counted. */
export const findingsKeptPerImport = 1000;

export type Lanes = Record<'red' | 'yellow' | 'blue' | 'green', number>;

export interface ImportJob {
  id: number;
  owner: string;
  party: string;
  role: 'trader' | 'declarant';
  format: string;
  fileName: string | null;
  bytes: number;
  status: ImportStatus;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  assessed: number;
  lanes: Lanes | null;
  /** Findings of the rejected rows, and how many of them are kept to be listed. */
  findings: number;
  findingsKept: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** Whose imports a caller sees: its own, or (staff who review imports) everyone's. */
export type ImportScope = { kind: 'owner'; owner: string } | { kind: 'all' };

export interface Counts {
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Findings of the rejected rows, kept or not. */
  findings: number;
}

export interface RejectFinding {
  line: number;
  reference?: string;
  path: string;
  code: string;
  message: string;
}

const columns = `id, owner, party_id AS party, role, format, file_name AS "fileName", bytes, status,
  rows_read AS "rowsRead", accepted, rejected, duplicates, assessed, lanes, findings,
  findings_kept AS "findingsKept", started_at AS "startedAt", updated_at AS "updatedAt",
  finished_at AS "finishedAt", error`;

function scoped(scope: ImportScope, params: unknown[]): string {
  if (scope.kind === 'all') return 'true';
  params.push(scope.owner);
  return `owner = $${params.length}`;
}

export const importJobs = {
  /**
   * Opens a job in `receiving` for its owner; null while the owner has another unfinished import
   * (the partial unique index decides, so two uploads sent at once cannot both start).
   */
  async open(
    sql: Sql,
    job: {
      owner: string;
      party: string;
      role: 'trader' | 'declarant';
      format: string;
      fileName: string | null;
      /** The lock key of the server process that runs it (upload-recovery.ts). */
      runner: number;
    },
  ): Promise<ImportJob | null> {
    const [row] = await sql.query<ImportJob>(
      `INSERT INTO imports (owner, party_id, role, format, file_name, runner) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (owner) WHERE ${unfinished} DO NOTHING RETURNING ${columns}`,
      [job.owner, job.party, job.role, job.format, job.fileName, job.runner],
    );
    return row ?? null;
  },

  /** Bytes received so far, while the file streams in (also the job's heartbeat). */
  async received(sql: Sql, id: number, bytes: number): Promise<void> {
    await sql.query(
      `UPDATE imports SET bytes = $2, updated_at = now() WHERE id = $1 AND status = 'receiving'`,
      [id, bytes],
    );
  },

  /**
   * The whole file was received: importing starts. The last declaration id handed out is kept: what
   * the import stores lies above it.
   */
  async startImporting(
    sql: Sql,
    id: number,
    bytes: number,
  ): Promise<{ job: ImportJob; afterId: number } | null> {
    const [row] = await sql.query<ImportJob & { afterId: number }>(
      `UPDATE imports SET status = 'importing', bytes = $2, updated_at = now(),
         after_declaration_id = (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
                                 FROM declaration_id_seq)
       WHERE id = $1 AND status = 'receiving' RETURNING ${columns}, after_declaration_id AS "afterId"`,
      [id, bytes],
    );
    if (!row) return null;
    const { afterId, ...job } = row;
    return { job, afterId };
  },

  /**
   * The counts after a batch, with the findings to keep that were found since the last call (the
   * caller keeps no more than `findingsKeptPerImport` in all). `tx` is a transaction, so the
   * findings and the counts change together.
   */
  async progress(tx: Sql, id: number, counts: Counts, kept: readonly RejectFinding[]): Promise<void> {
    const [job] = await tx.query<{ base: number }>(
      `UPDATE imports SET rows_read = $2, accepted = $3, rejected = $4, duplicates = $5, findings = $6,
         findings_kept = findings_kept + $7, updated_at = now()
       WHERE id = $1 AND status = 'importing' RETURNING findings_kept - $7 AS base`,
      [
        id,
        counts.rowsRead,
        counts.accepted,
        counts.rejected,
        counts.duplicates,
        counts.findings,
        kept.length,
      ],
    );
    if (!job || kept.length === 0) return;
    await tx.query(
      `INSERT INTO import_rejects (import_id, seq, line, functional_reference, path, code, message)
       SELECT $1, $2 + k.n, k.line, k.ref, k.path, k.code, k.message
       FROM unnest($3::int4[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
         AS k(line, ref, path, code, message, n)`,
      [
        id,
        job.base,
        kept.map((f) => f.line),
        kept.map((f) => f.reference ?? null),
        kept.map((f) => f.path),
        kept.map((f) => f.code),
        kept.map((f) => f.message),
      ],
    );
  },

  /** The data rows whose quality counts are written, in the transaction that writes them. */
  async qualityCounted(tx: Sql, id: number, rows: number): Promise<void> {
    await tx.query('UPDATE imports SET quality_rows = $2 WHERE id = $1', [id, rows]);
  },

  /** Everything is stored: the new declarations are being risk-assessed. */
  async startAssessing(sql: Sql, id: number): Promise<void> {
    await sql.query(
      `UPDATE imports SET status = 'assessing', updated_at = now() WHERE id = $1 AND status = 'importing'`,
      [id],
    );
  },

  async assessedSoFar(sql: Sql, id: number, assessed: number): Promise<void> {
    await sql.query(
      `UPDATE imports SET assessed = $2, updated_at = now() WHERE id = $1 AND status = 'assessing'`,
      [id, assessed],
    );
  },

  /** The lanes of the declarations an import stored, once they are assessed: the job is done. */
  async finish(sql: Sql, id: number, lanes: Lanes): Promise<void> {
    const assessed = lanes.red + lanes.yellow + lanes.blue + lanes.green;
    await sql.query(
      `UPDATE imports SET status = 'done', assessed = $2, lanes = $3::jsonb, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('importing', 'assessing')`,
      [id, assessed, JSON.stringify(lanes)],
    );
  },

  /**
   * The lanes of the declarations a user's import stored: those above the last id handed out when
   * it started, lodged by the user from a file of that format (the user has no other import running,
   * and declarations lodged through the API carry the source "api").
   */
  async lanesOfNew(sql: Sql, afterId: number, owner: string, format: string): Promise<Lanes> {
    const rows = await sql.query<{ lane: keyof Lanes; n: number }>(
      `SELECT lane, count(*)::int8 AS n FROM declarations
       WHERE id > $1 AND lodged_by = $2 AND source = $3 AND lane IS NOT NULL GROUP BY lane`,
      [afterId, owner, format],
    );
    const lanes: Lanes = { red: 0, yellow: 0, blue: 0, green: 0 };
    for (const r of rows) lanes[r.lane] = r.n;
    return lanes;
  },

  async fail(sql: Sql, id: number, error: string, bytes?: number): Promise<void> {
    await sql.query(
      `UPDATE imports SET status = 'failed', error = $2, bytes = coalesce($3, bytes), finished_at = now(),
         updated_at = now()
       WHERE id = $1 AND ${unfinished}`,
      [id, error, bytes ?? null],
    );
  },

  async find(sql: Sql, id: number, scope: ImportScope): Promise<ImportJob | undefined> {
    const params: unknown[] = [id];
    const [row] = await sql.query<ImportJob>(
      `SELECT ${columns} FROM imports WHERE id = $1 AND ${scoped(scope, params)}`,
      params,
    );
    return row;
  },

  /** Newest first, a page at a time: `before` is the id of the last job of the previous page. */
  async list(sql: Sql, scope: ImportScope, page: { before?: number; limit: number }): Promise<ImportJob[]> {
    const params: unknown[] = [page.limit];
    let keyset = '';
    if (page.before !== undefined) {
      params.push(page.before);
      keyset = `AND id < $${params.length}`;
    }
    return sql.query<ImportJob>(
      `SELECT ${columns} FROM imports WHERE ${scoped(scope, params)} ${keyset} ORDER BY id DESC LIMIT $1`,
      params,
    );
  },

  /** The kept findings of an import in file order; `after` is the (line, seq) of the last one shown. */
  async rejects(
    sql: Sql,
    id: number,
    page: { after?: { line: number; seq: number }; limit: number },
  ): Promise<(RejectFinding & { seq: number })[]> {
    const params: unknown[] = [id, page.limit];
    let keyset = '';
    if (page.after) {
      params.push(page.after.line, page.after.seq);
      keyset = `AND (line, seq) > ($3, $4)`;
    }
    const rows = await sql.query<RejectFinding & { seq: number; reference: string | null }>(
      `SELECT seq, line, functional_reference AS reference, path, code, message FROM import_rejects
       WHERE import_id = $1 ${keyset} ORDER BY line, seq LIMIT $2`,
      params,
    );
    return rows.map(({ reference, ...f }) => (reference === null ? f : { ...f, reference }));
  },
};

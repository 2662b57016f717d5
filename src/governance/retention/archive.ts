/**
 * The archival job: moves data past its retention period into archive folders and purges it from
 * the database, recording each purge in the ledger (ADR 0011).
 *
 * A run is one transaction. It takes the due rows of each class (at most `batch` of each, held
 * declarations excluded) and deletes them, records the purge in the ledger, writes the archive
 * folder completely and flushed, and only then commits. Killed before the commit, the database is
 * unchanged (at worst a complete folder is left whose run never committed: the next run sets it
 * aside as `.abandoned`); after it, the folder holds every purged row. A job repeats runs until
 * nothing is due.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Database, Sql } from '../../db/database.ts';
import { SubjectKind } from '../ledger/entry.ts';
import { recordChained } from '../ledger/record.ts';
import {
  archiveFolders,
  archiveFormat,
  pack,
  readManifest,
  setAside,
  writeArchiveFolder,
  type ArchiveFile,
  type Manifest,
  type PackedFile,
} from './archive-files.ts';
import { cutoff, DataClass, listPolicies, parsePeriod } from './policies.ts';

export interface ArchiveRun {
  run: string;
  folder: string;
  counts: Partial<Record<DataClass, number>>;
  ledgerSeq: number;
}

export interface ArchiveJobReport {
  runs: ArchiveRun[];
  /** Rows archived and purged, by class, over all runs. */
  counts: Partial<Record<DataClass, number>>;
  /** Declarations past their period but kept under legal hold. */
  held: number;
  /** Folders of runs that never committed, renamed NAME.abandoned (their data is still here). */
  setAside: string[];
}

export interface ArchiveOptions {
  dir: string;
  actor: string;
  /** Rows of each class per run (and so per transaction and per folder). */
  batch?: number;
  now?: Date;
  /** Told before each run's folder is written and after it is committed. */
  progress?: (message: string) => void;
}

export class ArchiveBusyError extends Error {
  constructor() {
    super('another archival job is running on this database; try again when it has finished');
  }
}

/** A hold placed on a declaration while a run was purging it: the run is undone, nothing is lost. */
export class HoldRaceError extends Error {}

// pg_advisory_xact_lock key: one archival job at a time per database
const jobLock = 7_304_211_905;

/** Rows as JSON text straight from the database, so numbers and times are archived exactly. */
interface JsonRow {
  id: number;
  row: string;
}

const children = [
  { key: 'items', table: 'declaration_items', order: 'declaration_id, sequence' },
  { key: 'events', table: 'declaration_events', order: 'declaration_id, seq' },
  { key: 'assessments', table: 'risk_assessments', order: 'declaration_id, id' },
  { key: 'profileHits', table: 'profile_hits', order: 'declaration_id, profile_id' },
  { key: 'controlResults', table: 'control_results', order: 'declaration_id, id' },
  { key: 'agencyFindings', table: 'agency_findings', order: 'declaration_id, id' },
  // what each attached document is (kind, file name, type, size, SHA-256, reading); not its bytes
  { key: 'documents', table: 'declaration_documents', order: 'declaration_id, id' },
] as const;

/**
 * Deletes the document contents that no attachment refers to any more, among those of the purged
 * declarations' documents (documents/store.ts: a content is stored once, for all its attachments).
 */
async function purgeUnattachedContents(tx: Sql, sha256s: readonly string[]): Promise<void> {
  if (sha256s.length === 0) return;
  await tx.query(
    `DELETE FROM document_contents c WHERE c.sha256 = ANY($1::text[])
     AND NOT EXISTS (SELECT 1 FROM declaration_documents x WHERE x.sha256 = c.sha256)`,
    [sha256s],
  );
}

const notHeld = (declarationId: string) =>
  `NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.declaration_id = ${declarationId} AND h.released_at IS NULL)`;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Declarations before `before` with all that belongs to them: one line each. */
async function purgeDeclarations(
  tx: Sql,
  before: Date,
  limit: number,
): Promise<{ ids: number[]; traders: string[]; lines: string[] }> {
  const rows = await tx.query<JsonRow & { trader: string }>(
    `SELECT d.id, d.trader_id AS trader, to_jsonb(d)::text AS row FROM declarations d
     WHERE d.date < $1::date AND ${notHeld('d.id')} ORDER BY d.id LIMIT $2 FOR UPDATE`,
    [day(before), limit],
  );
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { ids, traders: [], lines: [] };
  const parts = new Map<number, Record<string, string[]>>(ids.map((id) => [id, {}]));
  const contents = await tx.query<{ sha256: string }>(
    'SELECT DISTINCT sha256 FROM declaration_documents WHERE declaration_id = ANY($1::bigint[])',
    [ids],
  );
  for (const c of children) {
    const found = await tx.query<JsonRow>(
      `SELECT t.declaration_id AS id, to_jsonb(t)::text AS row FROM ${c.table} t
       WHERE t.declaration_id = ANY($1::bigint[]) ORDER BY ${c.order}`,
      [ids],
    );
    for (const r of found) ((parts.get(r.id) ?? {})[c.key] ??= []).push(r.row);
    await tx.query(`DELETE FROM ${c.table} WHERE declaration_id = ANY($1::bigint[])`, [ids]);
  }
  await purgeUnattachedContents(
    tx,
    contents.map((c) => c.sha256),
  );
  await tx.query('DELETE FROM declarations WHERE id = ANY($1::bigint[])', [ids]);
  const lines = rows.map((r) => {
    const p = parts.get(r.id) ?? {};
    const lists = children.map((c) => `,"${c.key}":[${(p[c.key] ?? []).join(',')}]`).join('');
    return `{"declaration":${r.row}${lists}}\n`;
  });
  return { ids, traders: rows.map((r) => r.trader), lines };
}

/**
 * Takes purged declarations off their traders' counts of stored declarations (declarations/
 * trader-counts.ts), after the ledger entry: the trader history is the last a writer locks.
 */
async function uncount(tx: Sql, traders: readonly string[]): Promise<void> {
  if (traders.length === 0) return;
  const n = new Map<string, number>();
  for (const t of traders) n.set(t, (n.get(t) ?? 0) + 1);
  const sorted = [...n.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await tx.query(
    `UPDATE trader_history h SET declarations = h.declarations - k.n
     FROM unnest($1::text[], $2::int8[]) AS k(trader, n) WHERE h.trader_id = k.trader`,
    [sorted.map(([t]) => t), sorted.map(([, c]) => c)],
  );
}

/**
 * Notes on control results recorded before `before`, cleared; the results themselves stay. Their
 * declarations are locked as a hold would lock them, so no hold lands on one before the commit.
 */
async function purgeNotes(
  tx: Sql,
  before: Date,
  limit: number,
): Promise<{ declarationIds: number[]; lines: string[] }> {
  const rows = await tx.query<JsonRow & { declarationId: number }>(
    `SELECT c.id, c.declaration_id AS "declarationId", jsonb_build_object('controlResult', c.id,
       'declaration', c.declaration_id, 'recordedBy', c.recorded_by, 'recordedAt', c.recorded_at,
       'notes', c.notes)::text AS row
     FROM control_results c
     WHERE c.notes IS NOT NULL AND c.recorded_at < $1 AND ${notHeld('c.declaration_id')}
     ORDER BY c.id LIMIT $2 FOR UPDATE`,
    [before.toISOString(), limit],
  );
  const declarationIds = [...new Set(rows.map((r) => r.declarationId))];
  if (rows.length > 0) {
    await tx.query('SELECT id FROM declarations WHERE id = ANY($1::bigint[]) FOR SHARE', [declarationIds]);
    await tx.query('UPDATE control_results SET notes = NULL WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
  }
  return { declarationIds, lines: rows.map((r) => r.row + '\n') };
}

/** Finished imports that ended before `before`, each with its rejected rows. */
async function purgeImports(tx: Sql, before: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<JsonRow>(
    `SELECT i.id, to_jsonb(i)::text AS row FROM imports i
     WHERE i.status IN ('done', 'failed') AND i.finished_at < $1 ORDER BY i.id LIMIT $2 FOR UPDATE`,
    [before.toISOString(), limit],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const rejects = new Map<number, string[]>();
  for (const r of await tx.query<JsonRow>(
    `SELECT r.import_id AS id, to_jsonb(r)::text AS row FROM import_rejects r
     WHERE r.import_id = ANY($1::bigint[]) ORDER BY r.import_id, r.line, r.seq`,
    [ids],
  ))
    (rejects.get(r.id) ?? rejects.set(r.id, []).get(r.id))?.push(r.row);
  await tx.query('DELETE FROM import_rejects WHERE import_id = ANY($1::bigint[])', [ids]);
  await tx.query('DELETE FROM imports WHERE id = ANY($1::bigint[])', [ids]);
  return rows.map((r) => `{"import":${r.row},"rejects":[${(rejects.get(r.id) ?? []).join(',')}]}\n`);
}

/** Sessions that expired before `before` (never a live one), without their token hashes. */
async function purgeSessions(tx: Sql, before: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ row: string }>(
    `DELETE FROM sessions WHERE token_hash IN (
       SELECT token_hash FROM sessions WHERE expires_at < $1 AND expires_at < now() ORDER BY expires_at LIMIT $2
     )
     RETURNING jsonb_build_object('user', user_id, 'createdAt', created_at, 'expiresAt', expires_at)::text AS row`,
    [before.toISOString(), limit],
  );
  return rows.map((r) => r.row + '\n');
}

/** Declarations past their period that a legal hold keeps. */
async function countHeld(tx: Sql, before: Date | null): Promise<number> {
  if (!before) return 0;
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM legal_holds h JOIN declarations d ON d.id = h.declaration_id
     WHERE h.released_at IS NULL AND d.date < $1::date`,
    [day(before)],
  );
  return row?.n ?? 0;
}

/** Folders in `dir` whose run never committed. */
async function abandonedFolders(tx: Sql, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await archiveFolders(dir)) {
    const manifest = await readManifest(path.join(dir, name));
    const committed =
      manifest !== null &&
      (await tx.query('SELECT 1 FROM archive_runs WHERE id = $1', [String(manifest.run)])).length > 0;
    if (!committed) out.push(name);
  }
  return out;
}

async function lockJob(tx: Sql): Promise<void> {
  const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
    jobLock,
  ]);
  if (!row?.locked) throw new ArchiveBusyError();
}

interface RunPlan {
  cutoffs: Partial<Record<DataClass, Date>>;
  policies: Partial<Record<DataClass, string>>;
}

async function plan(tx: Sql, now: Date): Promise<RunPlan> {
  const plan: RunPlan = { cutoffs: {}, policies: {} };
  for (const { dataClass, keep } of await listPolicies(tx)) {
    const period = parsePeriod(keep);
    const at = period && cutoff(period, now);
    if (dataClass === DataClass.Ledger || !at) continue; // kept forever
    plan.cutoffs[dataClass] = at;
    plan.policies[dataClass] = keep;
  }
  return plan;
}

/** One run; null when nothing is due. */
async function runOnce(
  db: Database,
  options: Required<Omit<ArchiveOptions, 'progress'>> & Pick<ArchiveOptions, 'progress'>,
  report: ArchiveJobReport,
  first: boolean,
): Promise<ArchiveRun | null> {
  return db.transaction(async (tx) => {
    await lockJob(tx);
    if (first) report.setAside = await setAside(options.dir, await abandonedFolders(tx, options.dir));
    const { cutoffs, policies } = await plan(tx, options.now);
    if (first) report.held = await countHeld(tx, cutoffs.declarations ?? null);
    const { batch } = options;
    const declarations = cutoffs.declarations
      ? await purgeDeclarations(tx, cutoffs.declarations, batch)
      : { ids: [], traders: [], lines: [] };
    const notes = cutoffs['control-notes']
      ? await purgeNotes(tx, cutoffs['control-notes'], batch)
      : { declarationIds: [], lines: [] };
    const lines: Partial<Record<DataClass, string[]>> = {
      declarations: declarations.lines,
      'control-notes': notes.lines,
      imports: cutoffs.imports
        ? await purgeImports(tx, cutoffs.imports, Math.max(1, Math.floor(batch / 50)))
        : [],
      sessions: cutoffs.sessions ? await purgeSessions(tx, cutoffs.sessions, batch) : [],
    };
    const files: PackedFile[] = [];
    for (const [dataClass, l] of Object.entries(lines) as [DataClass, string[]][])
      if (l.length > 0) files.push(await pack(dataClass, l));
    if (files.length === 0) return null;

    // a hold placed while this run waited for a declaration's lock: undo the whole run
    const raced = await tx.query<{ declarationId: number }>(
      `SELECT declaration_id AS "declarationId" FROM legal_holds
       WHERE released_at IS NULL AND declaration_id = ANY($1::bigint[])`,
      [[...declarations.ids, ...notes.declarationIds]],
    );
    if (raced.length > 0)
      throw new HoldRaceError(
        `declaration ${raced[0]?.declarationId} was put under legal hold during archival; nothing was purged, run it again`,
      );

    const run = randomUUID();
    const startedAt = options.now.toISOString();
    // the job's time, the run's place in the job, and enough of its id to be unique: names sort in order
    const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${archiveFormat}-${stamp}-${String(report.runs.length + 1).padStart(4, '0')}-${run.slice(0, 8)}`;
    const described: ArchiveFile[] = files.map(({ bytes: _bytes, ...f }) => f);
    const counts = Object.fromEntries(files.map((f) => [f.dataClass, f.rows]));
    const cutoffText = Object.fromEntries(
      Object.entries(cutoffs).map(([c, at]) => [
        c,
        c === DataClass.Declarations ? day(at) : at.toISOString(),
      ]),
    );
    const entry = await recordChained(tx, {
      actor: options.actor,
      action: 'retention.archived_and_purged',
      subjectKind: SubjectKind.Archive,
      subjectId: run,
      data: {
        folder: name,
        counts,
        cutoffs: cutoffText,
        files: described.map((f) => ({ dataClass: f.dataClass, rows: f.rows, sha256: f.sha256 })),
        ...(declarations.ids.length > 0
          ? { declarations: { first: declarations.ids[0], last: declarations.ids.at(-1) } }
          : {}),
      },
    });
    await uncount(tx, declarations.traders);
    const manifest: Manifest = {
      format: archiveFormat,
      version: 1,
      run,
      startedAt,
      database: db.kind,
      actor: options.actor,
      policies,
      cutoffs: cutoffText,
      held: report.held,
      files: described,
      ledger: { seq: entry.seq, hash: entry.hash },
    };
    options.progress?.(`writing archive ${name}: ${describeCounts(counts)}`);
    const folder = await writeArchiveFolder(options.dir, name, files, manifest);
    await tx.query(
      `INSERT INTO archive_runs (id, started_at, actor, folder, ledger_seq, counts, held)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run, startedAt, options.actor, name, entry.seq, JSON.stringify(counts), report.held],
    );
    options.progress?.(`archive ${name} written; committing the purge`);
    return { run, folder, counts, ledgerSeq: entry.seq };
  });
}

export const describeCounts = (counts: Partial<Record<DataClass, number>>): string =>
  Object.entries(counts)
    .map(([c, n]) => `${n} ${c}`)
    .join(', ') || 'nothing';

/** Archives and purges everything past its period, run after run, until nothing is due. */
export async function archiveExpired(db: Database, options: ArchiveOptions): Promise<ArchiveJobReport> {
  const resolved = {
    dir: path.resolve(options.dir),
    actor: options.actor,
    batch: options.batch ?? 5000,
    now: options.now ?? new Date(),
    progress: options.progress,
  };
  const report: ArchiveJobReport = { runs: [], counts: {}, held: 0, setAside: [] };
  for (let first = true; ; first = false) {
    const run = await runOnce(db, resolved, report, first);
    if (!run) return report;
    report.runs.push(run);
    for (const [c, n] of Object.entries(run.counts) as [DataClass, number][])
      report.counts[c] = (report.counts[c] ?? 0) + n;
  }
}

/**
 * Uploads interrupted by a stopped server (a crash, kill -9, a power cut). Each server process holds
 * an advisory lock on a random key of its own while it lives, and names it as the `runner` of the
 * uploads it runs. A job whose runner's lock can be taken was left by a process that no longer runs:
 * it is claimed with a conditional UPDATE on `runner`, so that when several processes start at once
 * each job is taken by one of them only. The claimer then finishes or fails it (uploads.ts).
 */
import { randomInt } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database, HeldLock, Sql } from '../db/database.ts';

/** The first key of the runners' advisory locks ("CLUP"); the second is the runner's own key. */
export const runnerLockSpace = 0x434c5550;

/** The stage a job was at when its server stopped, and what resuming it needs. */
export interface InterruptedJob {
  id: number;
  owner: string;
  party: string;
  role: 'trader' | 'declarant';
  format: string;
  status: 'receiving' | 'importing' | 'assessing';
  bytes: number;
  /** The last declaration id handed out when importing started (null while receiving). */
  afterId: number | null;
  /** How many times it was started again already. */
  restarts: number;
  /** The data rows whose quality counts were written. */
  qualityRows: number;
}

export interface Runner {
  key: number;
  lock: HeldLock;
}

/**
 * The runners of this process: another server in the same process (tests run several) is alive
 * although an embedded database, having one connection, cannot tell it by its lock.
 */
const runnersHere = new Set<number>();

/** Takes a runner lock for a server, on a key no other live runner holds. */
export async function registerRunner(db: Database): Promise<Runner> {
  for (;;) {
    const key = randomInt(1, 2 ** 31 - 1);
    if (runnersHere.has(key)) continue;
    const held = await db.holdLock(runnerLockSpace, key);
    if (!held) continue;
    runnersHere.add(key);
    const lock: HeldLock = {
      async release() {
        runnersHere.delete(key);
        await held.release();
      },
    };
    return { key, lock };
  }
}

/**
 * Claims for `me` the unfinished jobs (of `owner`, or everyone's) whose runner has stopped: its
 * lock is free, or the job names none. A job whose runner still runs is left to it.
 */
export async function claimInterrupted(
  db: Database,
  me: number,
  owner: string | null,
): Promise<InterruptedJob[]> {
  const runners = await db.query<{ runner: number | null }>(
    `SELECT DISTINCT runner FROM imports
     WHERE status IN ('receiving', 'importing', 'assessing') AND runner IS DISTINCT FROM $1
       AND ($2::text IS NULL OR owner = $2) AND (runner IS NULL OR NOT runner = ANY($3::int4[]))`,
    [me, owner, [...runnersHere]],
  );
  const claimed: InterruptedJob[] = [];
  for (const { runner } of runners) {
    const jobs = await db.transaction(async (tx) => {
      if (runner !== null && !(await stopped(tx, runner))) return [];
      return tx.query<InterruptedJob>(
        `UPDATE imports SET runner = $1, updated_at = now()
         WHERE status IN ('receiving', 'importing', 'assessing') AND runner IS NOT DISTINCT FROM $2
           AND ($3::text IS NULL OR owner = $3)
         RETURNING id, owner, party_id AS party, role, format, status, bytes,
           after_declaration_id AS "afterId", restarts, quality_rows AS "qualityRows"`,
        [me, runner, owner],
      );
    });
    claimed.push(...jobs);
  }
  return claimed.sort((a, b) => a.id - b.id);
}

/** True when no live process holds the runner's lock (taken for this transaction only). */
async function stopped(tx: Sql, runner: number): Promise<boolean> {
  const [row] = await tx.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS free', [
    runnerLockSpace,
    runner,
  ]);
  return row?.free === true;
}

/**
 * Readies an interrupted import to run again from the start of its file: its counts and kept
 * findings are cleared (the import finds them again), and the declarations it already stored are
 * counted, to be told apart from true resubmissions when they come back as duplicates.
 */
export async function restartImport(db: Database, job: InterruptedJob): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM import_rejects WHERE import_id = $1', [job.id]);
    await tx.query(
      `UPDATE imports SET rows_read = 0, accepted = 0, rejected = 0, duplicates = 0, findings = 0,
         findings_kept = 0, restarts = restarts + 1, updated_at = now()
       WHERE id = $1 AND status = 'importing'`,
      [job.id],
    );
    return storedBy(tx, job);
  });
}

/** The declarations an import has stored: above its starting id, lodged by its owner from its format. */
export async function storedBy(sql: Sql, job: InterruptedJob): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM declarations WHERE id > $1 AND lodged_by = $2 AND source = $3`,
    [job.afterId ?? 0, job.owner, job.format],
  );
  return row?.n ?? 0;
}

/** True when the file holds all `bytes` the job received. */
export async function isComplete(file: string, bytes: number): Promise<boolean> {
  const found = await stat(file).catch(() => null);
  return found !== null && found.isFile() && found.size === bytes;
}

/** Removes the files (`ID.csv`) of jobs that ended, or that are unknown, which a stopped server left. */
export async function removeEndedFiles(sql: Sql, folder: string): Promise<void> {
  const ids = (await readdir(folder))
    .map((name) => /^(\d{1,15})\.csv$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
  if (ids.length === 0) return;
  const open = await sql.query<{ id: number }>(
    `SELECT id FROM imports WHERE id = ANY($1::int8[]) AND status IN ('receiving', 'importing', 'assessing')`,
    [ids],
  );
  const keep = new Set(open.map((r) => r.id));
  await Promise.all(
    ids.filter((id) => !keep.has(id)).map((id) => rm(path.join(folder, `${id}.csv`), { force: true })),
  );
}

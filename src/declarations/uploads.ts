/**
 * Declaration files uploaded by traders and declarants: the file is received to disk, then imported
 * in the background the way `clearway import` does it (batches prepared, stored with COPY, then
 * risk-assessed), while the job row tells the uploader how far it has got. An upload
 * holds only the uploader's own declarations: rows for anyone else are rejected, never stored.
 *
 * A received file is kept in the upload folder (DATA_DIR/uploads) until its job ends, so that a job
 * interrupted by a stopped server is finished at the next start (upload-recovery.ts): a file still
 * being received is failed, an import is run again from the start of its complete file (what it
 * stored already comes back as duplicates, counted as its own), an assessment is run again.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Database, Sql } from '../db/database.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { StoredHook } from './bulk-store.ts';
import { HeaderError } from './formats/format.ts';
import { importJobs, type ImportJob, type ImportScope } from './import-jobs.ts';
import {
  importDeclarations,
  importFile,
  importFormats,
  type ImportFormat,
  type ImportSummary,
} from './importer.ts';
import { admissionFor, type Uploader } from './upload-admission.ts';
import { progressRecorder } from './upload-progress.ts';
import { receiveUpload, tooLarge } from './upload-receive.ts';
import {
  claimInterrupted,
  isComplete,
  registerRunner,
  removeEndedFiles,
  restartImport,
  storedBy,
  type InterruptedJob,
  type Runner,
} from './upload-recovery.ts';
import { compareImportedDescriptions } from './description-pass.ts';
import type { ValidationContext } from './validate/index.ts';

export type UploadError =
  | { code: 'forbidden'; message: string }
  | { code: 'body_too_large'; message: string }
  | { code: 'import_in_progress'; message: string; importId?: number }
  | { code: 'empty_file'; message: string }
  | { code: 'upload_interrupted'; message: string };

export interface UploadsDeps {
  db: Database;
  validation(): ValidationContext;
  referenceDir: string;
  /** Assesses every accepted declaration without a lane (the risk engine's batch assessment). */
  assessPending(actor: string, options: { onProgress?: (n: number) => void }): Promise<unknown>;
  /** Called in each batch's storing transaction: exports queued for partners, imports matched. */
  hook?: StoredHook;
  uploadLimitBytes: number;
  /** Where received files are kept until their job ends. */
  folder: string;
  /** Crash tests only: uploads stop at this stage until the process is killed. */
  holdAt?: 'importing' | 'assessing' | undefined;
  log: { error(details: object, message: string): void; warn(details: object, message: string): void };
}

export interface Upload {
  format: ImportFormat;
  fileName: string | null;
  body: Readable;
  /** The Content-Length the client announced, if any. */
  declaredBytes?: number;
}

/** An import started again this many times after its server stopped is not started again. */
const maxRestarts = 2;
/**
 * Files from this size are prepared in a worker thread, on a second core; a worker takes seconds to
 * start (it loads the reference data again), which smaller files take less than to prepare here.
 */
const preparedInWorkerFrom = 8 * 1024 * 1024;

/** The uploader of an interrupted job, as it uploaded. */
const uploaderOfJob = (job: InterruptedJob): Uploader => ({
  username: job.owner,
  role: job.role,
  party: job.party,
});

/** Who uploads as which party: a trader as itself, a declarant as the broker it is. */
function uploaderOf(actor: Actor): Uploader | null {
  if ((actor.role !== Role.Trader && actor.role !== Role.Declarant) || !actor.partyId) return null;
  return { username: actor.username, role: actor.role, party: actor.partyId };
}

/** Uploaders see their own imports; supervisors and auditors, who review them, see everyone's. */
export function importScopeFor(actor: Actor): ImportScope | null {
  if (actor.role === Role.Trader || actor.role === Role.Declarant)
    return { kind: 'owner', owner: actor.username };
  if (actor.role === Role.Supervisor || actor.role === Role.Auditor) return { kind: 'all' };
  return null;
}

export function createUploads(deps: UploadsDeps) {
  const { db } = deps;
  const running = new Map<number, Promise<void>>();
  let runner: Runner | null = null;
  // imports are assessed one after another: each run assesses whatever has no lane yet, so running
  // two at once would only make them contend for the same declarations and capacity rows
  let assessing: Promise<unknown> = Promise.resolve();
  const fileOf = (id: number) => path.join(deps.folder, `${id}.csv`);
  const forget = (id: number) => rm(fileOf(id), { force: true });

  function me(): number {
    if (!runner) throw new Error('the uploads are not started');
    return runner.key;
  }

  /** Runs `work` for a job in the background; the server waits for it before it stops. */
  function inBackground(id: number, work: () => Promise<void>): void {
    const run = work().finally(() => {
      running.delete(id);
      return forget(id);
    });
    running.set(id, run);
  }

  async function upload(actor: Actor, upload: Upload): Promise<Result<ImportJob, UploadError>> {
    const uploader = uploaderOf(actor);
    if (!uploader)
      return err({ code: 'forbidden', message: 'your account is not linked to a trader or declarant' });
    if ((upload.declaredBytes ?? 0) > deps.uploadLimitBytes) return err(tooLarge(deps.uploadLimitBytes));
    const opened = await open(uploader, upload);
    if (!opened.ok) return opened;
    const job = opened.value;
    const file = fileOf(job.id);
    try {
      const received = await receiveUpload(db, deps, job.id, upload.body, file);
      if (!received.ok) {
        await forget(job.id);
        return received;
      }
      const importing = await importJobs.startImporting(db, job.id, received.value);
      if (!importing) {
        await forget(job.id);
        return err({
          code: 'upload_interrupted',
          message: 'the upload stalled for so long that it was given up: upload the file again',
        });
      }
      inBackground(job.id, () =>
        importInBackground(importing.job, uploader, upload.format, file, { afterId: importing.afterId }),
      );
      return ok(importing.job);
    } catch (error) {
      await importJobs.fail(db, job.id, 'the upload failed on the server: upload the file again');
      await forget(job.id);
      throw error;
    }
  }

  /**
   * Opens the uploader's job, unless another of its imports is still running. One left behind by a
   * stopped server is finished or failed first.
   */
  async function open(uploader: Uploader, upload: Upload): Promise<Result<ImportJob, UploadError>> {
    const owner = uploader.username;
    const job = {
      owner,
      party: uploader.party,
      role: uploader.role,
      format: upload.format,
      fileName: upload.fileName,
      runner: me(),
    };
    const opened =
      (await importJobs.open(db, job)) ?? (await recoverFor(owner), await importJobs.open(db, job));
    if (opened) return ok(opened);
    const [current] = await importJobs.list(db, { kind: 'owner', owner }, { limit: 1 });
    return err({
      code: 'import_in_progress',
      message: 'your previous upload is still being imported: wait until it is done',
      ...(current ? { importId: current.id } : {}),
    });
  }

  /**
   * Imports the received file, then assesses what it added; never throws (failures go to the job).
   * An import run again after a stop finds the `storedBefore` declarations it stored then as
   * duplicates: they are counted as accepted, not as resubmissions.
   */
  async function importInBackground(
    job: Pick<ImportJob, 'id' | 'bytes'>,
    uploader: Uploader,
    format: ImportFormat,
    file: string,
    start: { afterId: number; storedBefore?: number; qualityRows?: number },
  ): Promise<void> {
    const progress = progressRecorder(db, job.id);
    const own = ownCounts(start.storedBefore ?? 0);
    let stored = false;
    try {
      const admit = await admissionFor(db, uploader);
      const options = {
        format,
        actor: uploader.username,
        ...(deps.hook ? { hook: deps.hook } : {}),
        admit,
        onReject: progress.reject,
        onProgress: (rows: number, summary: Readonly<ImportSummary>) => progress.batch(rows, own(summary)),
        qualityCountedRows: start.qualityRows ?? 0,
        onQualityCounted: (tx: Sql, rows: number) => importJobs.qualityCounted(tx, job.id, rows),
        ...(deps.holdAt === 'importing'
          ? {
              afterStored: async (summary: Readonly<ImportSummary>) => {
                progress.batch(progress.rowsRead(), own(summary));
                await progress.settled();
                await hold(job.id, 'importing');
              },
            }
          : {}),
      };
      const validation = deps.validation();
      const summary =
        job.bytes < preparedInWorkerFrom
          ? await importDeclarations(db, validation, createReadStream(file), options)
          : await importFile(db, { ...validation, referenceDir: deps.referenceDir }, file, options);
      progress.batch(progress.rowsRead(), own(summary));
      await progress.settled();
      stored = true;
      // the file is no longer needed (an interrupted assessment needs only what was stored): it is
      // gone before the job can be seen done
      await forget(job.id);
      await importJobs.startAssessing(db, job.id);
      await assessAndFinish(job.id, uploader.username, format, start.afterId, own(summary).accepted);
      // after the job is done: its lanes do not wait for the description check (description-pass.ts)
      if (own(summary).accepted > 0) await describeImported(job.id, uploader.username, format, start.afterId);
    } catch (error) {
      const message =
        error instanceof HeaderError
          ? error.message
          : stored
            ? 'the declarations were stored, but assessing their risk failed on the server (the failure has been logged)'
            : 'the import failed on the server (the failure has been logged): upload the file again';
      if (!(error instanceof HeaderError))
        deps.log.error({ err: error, importId: job.id }, 'an uploaded import failed');
      await importJobs.fail(db, job.id, message).catch((failure: unknown) => {
        deps.log.error({ err: failure, importId: job.id }, 'recording a failed import failed');
      });
    }
  }

  /** Assesses the stored declarations (in turn with other imports), then the job is done with their lanes. */
  async function assessAndFinish(
    id: number,
    owner: string,
    format: ImportFormat | string,
    afterId: number,
    accepted: number,
  ): Promise<void> {
    if (deps.holdAt === 'assessing') await hold(id, 'assessing');
    const progress = progressRecorder(db, id);
    if (accepted > 0) {
      await inTurn(() =>
        deps.assessPending('selectivity', { onProgress: (n) => progress.assessed(Math.min(n, accepted)) }),
      );
      await progress.settled();
    }
    const lanes = await importJobs.lanesOfNew(db, afterId, owner, format);
    await importJobs.finish(db, id, lanes);
  }

  /**
   * The description check validation leaves out of imports, over what the job stored, when the
   * server has the classification aid; a failure is logged, the job stays done.
   */
  async function describeImported(id: number, owner: string, source: string, afterId: number) {
    const validation = deps.validation();
    const codes = validation.descriptionCodes;
    if (!codes) return;
    await compareImportedDescriptions(
      db,
      { ...validation, descriptionCodes: codes },
      { afterId, lodgedBy: owner, source },
    ).catch((error: unknown) =>
      deps.log.error({ err: error, importId: id }, 'comparing imported descriptions failed'),
    );
  }

  /** Runs an assessment after those already queued. */
  function inTurn<T>(assess: () => Promise<T>): Promise<T> {
    const turn = assessing.then(assess, assess);
    assessing = turn.catch(() => undefined);
    return turn;
  }

  async function hold(id: number, stage: string): Promise<never> {
    deps.log.warn({ importId: id, stage }, 'upload held for a crash test (CLEARWAY_TEST_UPLOAD_HOLD)');
    return new Promise<never>(() => undefined);
  }

  /** Finishes or fails the jobs of `owner` (or everyone's) whose server stopped while they ran. */
  async function recoverFor(owner: string | null): Promise<void> {
    for (const job of await claimInterrupted(db, me(), owner)) {
      // the file goes first: a job is never seen ended with its file still there
      const failed = (message: string) => forget(job.id).then(() => importJobs.fail(db, job.id, message));
      if (job.status === 'receiving') {
        await failed('the server stopped while the file was being received: upload the file again');
      } else if (job.status === 'assessing') {
        inBackground(job.id, () => finishAssessing(job));
      } else if (job.restarts >= maxRestarts) {
        await failed(
          `the server stopped ${job.restarts + 1} times while importing this file, so it was given up: ${await storedBy(db, job)} declarations were stored; upload the file again to import the rest (the stored ones count as duplicates)`,
        );
      } else if (job.afterId === null || !isFormat(job.format)) {
        // started by an earlier version, which did not record where its declarations begin
        await failed(
          'the server stopped while importing this file: upload the file again to import the rest (what was stored counts as duplicates)',
        );
      } else if (!(await isComplete(fileOf(job.id), job.bytes))) {
        await failed(
          `the server stopped while importing and the received file is no longer there: ${await storedBy(db, job)} declarations were stored; upload the file again to import the rest (the stored ones count as duplicates)`,
        );
      } else {
        const storedBefore = await restartImport(db, job);
        const { afterId, format, qualityRows } = job;
        inBackground(job.id, () =>
          importInBackground(job, uploaderOfJob(job), format, fileOf(job.id), {
            afterId,
            storedBefore,
            qualityRows,
          }),
        );
      }
    }
  }

  /** An interrupted assessment: whatever has no lane is assessed, then the job is done. */
  async function finishAssessing(job: InterruptedJob): Promise<void> {
    try {
      const stored = await storedBy(db, job);
      await assessAndFinish(job.id, job.owner, job.format, job.afterId ?? 0, stored);
      // as after an uninterrupted import; what an earlier run of the pass added is kept, not doubled
      if (stored > 0) await describeImported(job.id, job.owner, job.format, job.afterId ?? 0);
    } catch (error) {
      deps.log.error({ err: error, importId: job.id }, 'assessing an interrupted upload failed');
      await importJobs
        .fail(
          db,
          job.id,
          'the declarations were stored, but assessing their risk failed on the server (the failure has been logged)',
        )
        .catch(() => undefined);
    }
  }

  return {
    upload,
    get: (scope: ImportScope, id: number) => importJobs.find(db, id, scope),
    list: (scope: ImportScope, page: { before?: number; limit: number }) => importJobs.list(db, scope, page),
    async rejects(scope: ImportScope, id: number, page: Parameters<typeof importJobs.rejects>[2]) {
      const job = await importJobs.find(db, id, scope);
      return job ? { job, rejects: await importJobs.rejects(db, id, page) } : undefined;
    },
    /**
     * At start: takes this process's runner lock, finishes or fails the jobs of stopped servers,
     * removes the files of ended jobs, and assesses (in the background) every accepted declaration
     * left without a lane.
     */
    async start(): Promise<void> {
      runner = await registerRunner(db);
      await mkdir(deps.folder, { recursive: true });
      await recoverFor(null);
      await removeEndedFiles(db, deps.folder);
      if (await anyWithoutLane(db))
        inTurn(() => deps.assessPending('selectivity', {})).catch((error: unknown) => {
          deps.log.error({ err: error }, 'assessing the declarations left without a lane failed');
        });
    },
    /** Lets the running imports finish, so none is left half done when the server stops. */
    async close(): Promise<void> {
      await Promise.allSettled(running.values());
      await assessing;
      await runner?.lock.release();
      runner = null;
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;

/**
 * The counts of an import run again after a stop: the declarations it had stored come back as
 * duplicates, first in file order; up to `storedBefore` of them are its own, counted as accepted.
 */
function ownCounts(storedBefore: number) {
  return (s: Readonly<ImportSummary>): ImportSummary => {
    const own = Math.min(storedBefore, s.duplicates);
    return { ...s, accepted: s.accepted + own, duplicates: s.duplicates - own };
  };
}

const isFormat = (format: string): format is ImportFormat => Object.hasOwn(importFormats, format);

/** True when an accepted declaration has no lane yet (an import stopped before assessing it). */
async function anyWithoutLane(db: Database): Promise<boolean> {
  const [row] = await db.query<{ any: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM declarations WHERE lane IS NULL AND status = 'accepted') AS any",
  );
  return row?.any === true;
}

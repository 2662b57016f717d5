/**
 * Declaration files uploaded by traders and declarants: the file is received to disk, then imported
 * in the background the way `clearway import` does it (batches prepared, stored with COPY, then
 * risk-assessed), while the job row tells the uploader how far it has got. An upload
 * holds only the uploader's own declarations: rows for anyone else are rejected, never stored.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { HeaderError } from './formats/format.ts';
import { importJobs, type ImportJob, type ImportScope } from './import-jobs.ts';
import { importDeclarations, importFile, type ImportFormat } from './importer.ts';
import { admissionFor, type Uploader } from './upload-admission.ts';
import { progressRecorder } from './upload-progress.ts';
import { receiveFile, sizeText } from './upload-receive.ts';
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
  uploadLimitBytes: number;
  log: { error(details: object, message: string): void };
}

export interface Upload {
  format: ImportFormat;
  fileName: string | null;
  body: Readable;
  /** The Content-Length the client announced, if any. */
  declaredBytes?: number;
}

/** An unfinished import that has not moved for this long was left behind by a stopped server. */
const abandonedAfterSeconds = 600;
/**
 * Files from this size are prepared in a worker thread, on a second core; a worker takes seconds to
 * start (it loads the reference data again), which smaller files take less than to prepare here.
 */
const preparedInWorkerFrom = 8 * 1024 * 1024;
/** How often the bytes received so far are written while a file streams in. */
const heartbeatMs = 5000;

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
  // files being received by this server: slow, but alive
  const receiving = new Set<number>();
  // imports are assessed one after another: each run assesses whatever has no lane yet, so running
  // two at once would only make them contend for the same declarations and capacity rows
  let assessing: Promise<unknown> = Promise.resolve();

  async function upload(actor: Actor, upload: Upload): Promise<Result<ImportJob, UploadError>> {
    const uploader = uploaderOf(actor);
    if (!uploader)
      return err({ code: 'forbidden', message: 'your account is not linked to a trader or declarant' });
    if ((upload.declaredBytes ?? 0) > deps.uploadLimitBytes) return err(tooLarge());
    const opened = await open(uploader, upload);
    if (!opened.ok) return opened;
    const job = opened.value;
    const dir = await mkdtemp(path.join(tmpdir(), 'clearway-upload-'));
    const file = path.join(dir, 'upload.csv');
    const forget = () => rm(dir, { recursive: true, force: true });
    receiving.add(job.id);
    try {
      const received = await receive(job.id, upload.body, file);
      if (!received.ok) {
        await forget();
        return received;
      }
      const importing = await importJobs.startImporting(db, job.id, received.value);
      if (!importing) {
        await forget();
        return err({
          code: 'upload_interrupted',
          message: 'the upload stalled for so long that it was given up: upload the file again',
        });
      }
      const run = importInBackground(importing, uploader, upload.format, file).finally(() => {
        running.delete(job.id);
        return forget();
      });
      running.set(job.id, run);
      return ok(importing);
    } catch (error) {
      await importJobs.fail(db, job.id, 'the upload failed on the server: upload the file again');
      await forget();
      throw error;
    } finally {
      receiving.delete(job.id);
    }
  }

  /** Opens the uploader's job, unless another of its imports is still running. */
  async function open(uploader: Uploader, upload: Upload): Promise<Result<ImportJob, UploadError>> {
    const owner = uploader.username;
    await importJobs.failAbandoned(db, owner, abandonedAfterSeconds, [...receiving, ...running.keys()]);
    const job = await importJobs.open(db, {
      owner,
      party: uploader.party,
      role: uploader.role,
      format: upload.format,
      fileName: upload.fileName,
    });
    if (job) return ok(job);
    const [current] = await importJobs.list(db, { kind: 'owner', owner }, { limit: 1 });
    return err({
      code: 'import_in_progress',
      message: 'your previous upload is still being imported: wait until it is done',
      ...(current ? { importId: current.id } : {}),
    });
  }

  /** Receives the file to disk; a refused or broken upload fails its job. Returns the bytes. */
  async function receive(id: number, body: Readable, file: string): Promise<Result<number, UploadError>> {
    let beat = Date.now();
    const received = await receiveFile(body, file, deps.uploadLimitBytes, (bytes) => {
      if (Date.now() - beat < heartbeatMs) return;
      beat = Date.now();
      importJobs.received(db, id, bytes).catch((error: unknown) => {
        deps.log.error({ err: error, importId: id }, 'recording upload progress failed');
      });
    });
    const refusal: UploadError | null = !received.ok
      ? received.reason === 'too_large'
        ? tooLarge()
        : {
            code: 'upload_interrupted',
            message: `the upload was interrupted after ${sizeText(received.bytes)}: upload the file again`,
          }
      : received.bytes === 0
        ? { code: 'empty_file', message: 'the file is empty: choose a CSV file with a header row' }
        : null;
    if (!refusal) return ok(received.bytes);
    await importJobs.fail(db, id, refusal.message, received.bytes);
    return err(refusal);
  }

  const tooLarge = () =>
    ({
      code: 'body_too_large',
      message: `the file is larger than ${sizeText(deps.uploadLimitBytes)}, the most one upload may hold: split it into smaller files`,
    }) as const;

  /** Imports the received file, then assesses what it added; never throws (failures go to the job). */
  async function importInBackground(
    job: ImportJob,
    uploader: Uploader,
    format: ImportFormat,
    file: string,
  ): Promise<void> {
    const progress = progressRecorder(db, job.id);
    let stored = false;
    try {
      const admit = await admissionFor(db, uploader);
      const before = await lastDeclarationId(db);
      const options = {
        format,
        actor: uploader.username,
        admit,
        onReject: progress.reject,
        onProgress: progress.batch,
      };
      const validation = deps.validation();
      const summary =
        job.bytes < preparedInWorkerFrom
          ? await importDeclarations(db, validation, createReadStream(file), options)
          : await importFile(db, { ...validation, referenceDir: deps.referenceDir }, file, options);
      progress.batch(progress.rowsRead(), summary);
      await progress.settled();
      stored = true;
      await importJobs.startAssessing(db, job.id);
      if (summary.accepted > 0) {
        const assess = () =>
          deps.assessPending('selectivity', {
            onProgress: (n) => progress.assessed(Math.min(n, summary.accepted)),
          });
        const turn = assessing.then(assess, assess);
        assessing = turn.catch(() => undefined);
        await turn;
        await progress.settled();
      }
      const lanes = await importJobs.lanesOfNew(db, before, uploader.username, format);
      await importJobs.finish(db, job.id, lanes);
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

  return {
    upload,
    get: (scope: ImportScope, id: number) => importJobs.find(db, id, scope),
    list: (scope: ImportScope, page: { before?: number; limit: number }) => importJobs.list(db, scope, page),
    async rejects(scope: ImportScope, id: number, page: Parameters<typeof importJobs.rejects>[2]) {
      const job = await importJobs.find(db, id, scope);
      return job ? { job, rejects: await importJobs.rejects(db, id, page) } : undefined;
    },
    /** Fails what a stopped server left unfinished (at start, before any upload of this server). */
    recover: () => importJobs.failAbandoned(db, null, abandonedAfterSeconds, []),
    /** Lets the running imports finish, so none is left half done when the server stops. */
    async close(): Promise<void> {
      await Promise.allSettled(running.values());
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;

/** The highest declaration id handed out so far: what an import stores afterwards lies above it. */
async function lastDeclarationId(db: Database): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS id FROM declaration_id_seq',
  );
  return row?.id ?? 0;
}

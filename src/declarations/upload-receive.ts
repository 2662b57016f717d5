/**
 * Receives an uploaded file into a file on disk as it streams in, counting its bytes against the
 * upload limit, so memory stays small whatever the size of the file. The import then reads the file
 * in a worker thread, as `clearway import` does.
 */
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { importJobs } from './import-jobs.ts';
import type { UploadError, UploadsDeps } from './uploads.ts';

/** How often the bytes received so far are written while a file streams in. */
const heartbeatMs = 5000;

/**
 * Receives an upload's file to disk, writing the bytes so far to its job as they grow; a refused or
 * broken upload fails its job. The file is on disk (synced) before the bytes are returned, so a
 * server that stops after that finds the whole file at its next start.
 */
export async function receiveUpload(
  db: Database,
  deps: Pick<UploadsDeps, 'uploadLimitBytes' | 'log'>,
  id: number,
  body: Readable,
  file: string,
): Promise<Result<number, UploadError>> {
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
      ? tooLarge(deps.uploadLimitBytes)
      : {
          code: 'upload_interrupted',
          message: `the upload was interrupted after ${sizeText(received.bytes)}: upload the file again`,
        }
    : received.bytes === 0
      ? { code: 'empty_file', message: 'the file is empty: choose a CSV file with a header row' }
      : null;
  if (!refusal) {
    const handle = await open(file, 'r+');
    await handle.sync().finally(() => handle.close());
    return ok(received.bytes);
  }
  await importJobs.fail(db, id, refusal.message, received.bytes);
  return err(refusal);
}

export const tooLarge = (limit: number) =>
  ({
    code: 'body_too_large',
    message: `the file is larger than ${sizeText(limit)}, the most one upload may hold: split it into smaller files`,
  }) as const;

export type Received =
  { ok: true; bytes: number } | { ok: false; reason: 'too_large' | 'interrupted'; bytes: number };

/**
 * Streams `body` into `file`. Past `limit` bytes it stops writing and lets the rest of the body
 * drain unread (the reply closes the connection); `onBytes` follows the count as it grows. A write
 * failure of the disk is an outage and rejects.
 */
export function receiveFile(
  body: Readable,
  file: string,
  limit: number,
  onBytes: (bytes: number) => void,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    let bytes = 0;
    let ended = false;
    let settled = false;
    const stop = () => {
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onInterrupted);
      body.off('close', onClose);
    };
    const fail = (reason: 'too_large' | 'interrupted') => {
      if (settled) return;
      stop();
      out.destroy();
      body.resume(); // what is still arriving is read and dropped
      resolve({ ok: false, reason, bytes });
    };
    function onData(chunk: Buffer) {
      bytes += chunk.length;
      if (bytes > limit) return fail('too_large');
      onBytes(bytes);
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    }
    function onEnd() {
      ended = true;
      stop();
      out.end(() => resolve({ ok: true, bytes }));
    }
    function onInterrupted() {
      fail('interrupted');
    }
    function onClose() {
      if (!ended) fail('interrupted');
    }
    out.on('error', (error) => {
      if (settled && !ended) return; // destroyed after a refusal
      stop();
      body.resume();
      reject(error);
    });
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onInterrupted);
    body.on('close', onClose);
  });
}

/** A size for messages: "200 MB", "16 KB", "900 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

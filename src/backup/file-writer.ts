/**
 * Writes a backup file (format: file-format.ts) as one gzip stream to FILE.partial, renamed to FILE
 * only once complete and flushed to disk: a backup that is killed or fails never leaves a file
 * under the name asked for, and a rerun simply starts the partial file over.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export class BackupFileWriter {
  private readonly gzip = createGzip({ level: 6 });
  private readonly hash = createHash('sha256');
  private readonly done: Promise<void>;

  private constructor(
    readonly file: string,
    readonly partial: string,
    out: WriteStream,
  ) {
    this.done = pipeline(this.gzip, out);
    this.done.catch(() => undefined); // surfaced by write() and finish()
  }

  /** Opens FILE.partial first, so a folder that does not exist fails before any table is read. */
  static async create(file: string): Promise<BackupFileWriter> {
    const partial = `${file}.partial`;
    const out = createWriteStream(partial);
    await once(out, 'open');
    return new BackupFileWriter(file, partial, out);
  }

  /** Writes one line (ending in \n), counted in the whole-file checksum; waits when gzip is full. */
  async write(line: string): Promise<void> {
    this.hash.update(line);
    if (!this.gzip.write(line)) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }

  /** Ends with the checksum of everything before it, flushes to disk and gives the file its name. */
  async finish(): Promise<string> {
    const sha256 = this.hash.digest('hex');
    this.gzip.end(JSON.stringify({ sha256 }) + '\n');
    await this.done;
    const handle = await open(this.partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.partial, this.file);
    // the rename itself survives a power cut only once the folder is flushed
    const folder = await open(path.dirname(path.resolve(this.file)), 'r');
    try {
      await folder.sync().catch(() => undefined);
    } finally {
      await folder.close();
    }
    return sha256;
  }

  /** After a failure: removes the partial file. */
  async abandon(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
    await unlink(this.partial).catch(() => undefined);
  }
}

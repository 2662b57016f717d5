/**
 * `clearway restore FILE [--json]`: restores a backup into an empty database (ADR 0008), from
 * PGlite or PostgreSQL into either. Refused with one line naming the problem, changing nothing,
 * when the file is truncated or corrupted, made at another schema, or the database is not empty.
 */
import { BackupFileError } from '../backup/file-format.ts';
import { restoreBackup, RestoreRefused } from '../backup/restore.ts';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { parse, readableFile, UsageError } from './usage.ts';

export async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false } }, true);
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError('give exactly one backup FILE to restore');
  await readableFile(file, 'backup');

  const config = loadConfig();
  const started = performance.now();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const summary = await restoreBackup(db, file, (t) => {
      if (!values.json) process.stderr.write(`restored ${t.table}: ${t.rows} rows\n`);
    });
    const seconds = Math.round(performance.now() - started) / 1000;
    if (values.json) process.stdout.write(JSON.stringify({ ...summary, target: db.kind, seconds }) + '\n');
    else
      process.stdout.write(
        `restored ${file} into ${db.kind}: ${summary.tables.length} tables, ${summary.rows} rows ` +
          `(backup of ${summary.source} made ${summary.createdAt}) in ${seconds} s; every table's checksum matches\n`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupFileError || error instanceof RestoreRefused)) throw error;
    process.stderr.write(`clearway restore: ${error.message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/**
 * `clearway backup --out FILE [--json]`: a consistent, compressed, checksummed backup of the
 * database (ADR 0008). `clearway backup --verify FILE [--json]` checks a backup file without a
 * database and prints each table's row count and checksum.
 */
import path from 'node:path';
import { writeBackup } from '../backup/backup.ts';
import { BackupFileError, verifyBackup } from '../backup/file-format.ts';
import type { TableChecksum } from '../backup/table-content.ts';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { parse, readableFile, UsageError } from './usage.ts';

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    verify: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0 || (values.out === undefined) === (values.verify === undefined))
    throw new UsageError('give either --out FILE to write a backup or --verify FILE to check one');
  if (values.verify !== undefined) return verify(await readableFile(values.verify, 'backup'), values.json);
  const file = values.out ?? '';

  const config = loadConfig();
  const started = performance.now();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const summary = await writeBackup(db, file, (t) => {
      if (!values.json) process.stderr.write(`backed up ${t.table}: ${t.rows} rows\n`);
    });
    const seconds = round((performance.now() - started) / 1000);
    if (values.json) process.stdout.write(JSON.stringify({ ...summary, seconds }) + '\n');
    else
      process.stdout.write(
        `wrote ${file}: ${summary.tables.length} tables, ${summary.rows} rows, ${summary.bytes} bytes ` +
          `from ${db.kind} at schema ${summary.schema} in ${seconds} s; sha256 ${summary.sha256}\n`,
      );
    return 0;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
      process.stderr.write(`clearway backup: cannot write ${file}: ${e.code}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

async function verify(file: string, json: boolean): Promise<number> {
  try {
    const { header, manifest } = await verifyBackup(file);
    if (json) process.stdout.write(JSON.stringify({ file, ...header, tables: manifest.tables }) + '\n');
    else
      process.stdout.write(
        `${path.basename(file)}: complete, every checksum matches; backup of ${header.source} at schema ` +
          `${header.schema.at(-1) ?? 'none'} made ${header.createdAt}\n${checksumTable(manifest.tables)}`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupFileError)) throw error;
    process.stderr.write(`clearway backup: ${error.message}\n`);
    return 1;
  }
}

/** One line per table: name, rows, SHA-256 of its canonical content; operators compare these. */
export function checksumTable(tables: readonly TableChecksum[]): string {
  const width = Math.max(...tables.map((t) => t.table.length));
  return tables.map((t) => `${t.table.padEnd(width)} ${String(t.rows).padStart(10)} ${t.sha256}\n`).join('');
}

const round = (n: number) => Math.round(n * 100) / 100;

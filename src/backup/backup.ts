/**
 * Writes a consistent backup of the whole database: every table is read in one read-only
 * REPEATABLE READ transaction (on PGlite, whose one connection serialises everything, any
 * transaction is a snapshot), so the file is the database as of one instant while others write.
 */
import { stat } from 'node:fs/promises';
import type { Database } from '../db/database.ts';
import { appliedMigrations, listTables, readSequences, useCanonicalText } from './catalog.ts';
import { BackupFileWriter } from './file-writer.ts';
import { formatName, formatVersion, type BackupHeader } from './file-format.ts';
import { readTable, rowLine, TableDigest, type TableChecksum } from './table-content.ts';

export interface BackupSummary {
  file: string;
  source: Database['kind'];
  schema: string;
  tables: TableChecksum[];
  rows: number;
  bytes: number;
  sha256: string;
}

export async function writeBackup(
  db: Database,
  file: string,
  onTable: (checksum: TableChecksum) => void = () => undefined,
): Promise<BackupSummary> {
  const writer = await BackupFileWriter.create(file);
  try {
    const { header, tables } = await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await useCanonicalText(tx);
      const header: BackupHeader = {
        format: formatName,
        version: formatVersion,
        source: db.kind,
        createdAt: new Date().toISOString(),
        schema: await appliedMigrations(tx),
      };
      await writer.write(JSON.stringify(header) + '\n');
      const tables: TableChecksum[] = [];
      for (const table of await listTables(tx)) {
        await writer.write(JSON.stringify({ table: table.name, columns: table.columns }) + '\n');
        const digest = new TableDigest(table.name);
        for await (const batch of readTable(tx, table)) {
          let chunk = '';
          for (const row of batch) {
            const line = rowLine(row);
            digest.add(line);
            chunk += line;
          }
          await writer.write(chunk);
        }
        const checksum = digest.result();
        await writer.write(
          JSON.stringify({ end: table.name, rows: checksum.rows, sha256: checksum.sha256 }) + '\n',
        );
        tables.push(checksum);
        onTable(checksum);
      }
      // read last: sequences move outside transactions, so now they are past every id read above
      const sequences = await readSequences(tx);
      await writer.write(JSON.stringify({ manifest: tables, sequences }) + '\n');
      return { header, tables };
    });
    const sha256 = await writer.finish();
    return {
      file,
      source: db.kind,
      schema: header.schema.at(-1) ?? '',
      tables,
      rows: tables.reduce((sum, t) => sum + t.rows, 0),
      bytes: (await stat(file)).size,
      sha256,
    };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

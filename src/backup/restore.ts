/**
 * Restores a backup into an empty database of the same schema, PGlite or PostgreSQL whichever made
 * it. The file is verified whole before anything is written; the load is one transaction that
 * ends by recomputing every table's checksum from the database, so a restore either completes
 * with every row as backed up or, refused, failed or killed, leaves the database as it was.
 */
import path from 'node:path';
import { copyLine } from '../db/copy-text.ts';
import type { Database, Sql } from '../db/database.ts';
import { appliedMigrations, listTables, useCanonicalText, type TableShape } from './catalog.ts';
import { seededTables } from './seeded-tables.ts';
import { readBackup, verifyBackup, type BackupHeader } from './file-format.ts';
import { tableChecksum, type TableChecksum, type TextRow } from './table-content.ts';

/** Restoring is refused: the message says why, and nothing was written. */
export class RestoreRefused extends Error {}

export interface RestoreSummary {
  file: string;
  source: BackupHeader['source'];
  createdAt: string;
  tables: TableChecksum[];
  rows: number;
}

export async function restoreBackup(
  db: Database,
  file: string,
  onTable: (checksum: TableChecksum) => void = () => undefined,
): Promise<RestoreSummary> {
  const name = path.basename(file);
  const seeded = await seededTables();
  await db.transaction(async (tx) => refuseUnlessEmpty(tx, await listTables(tx), seeded));
  const { header, manifest } = await verifyBackup(file);
  const schema = await appliedMigrations(db);
  if (schema.join() !== header.schema.join())
    throw new RestoreRefused(
      `${name} was made at schema ${header.schema.at(-1) ?? 'none'}, the target database is at ${schema.at(-1) ?? 'none'}`,
    );

  await db.transaction(async (tx) => {
    await useCanonicalText(tx);
    const tables = await listTables(tx);
    const byName = new Map(tables.map((t) => [t.name, t]));
    // writers wait until the restore commits; they cannot slip rows in between check and load
    await tx.query(`LOCK TABLE ${tables.map((t) => t.name).join(', ')} IN EXCLUSIVE MODE`);
    await refuseUnlessEmpty(tx, tables, seeded);
    for (const table of seeded) if (byName.has(table)) await tx.query(`DELETE FROM ${table}`);

    let columns: string[] = [];
    for await (const event of readBackup(file)) {
      if (event.kind === 'table') {
        columns = sameColumns(name, byName.get(event.table), event.table, event.columns);
      } else if (event.kind === 'rows') {
        await load(tx, event.table, columns, event.rows);
      } else if (event.kind === 'end') onTable(event.checksum);
    }
    for (const [sequence, state] of Object.entries(manifest.sequences)) {
      const found = await tx.query(
        `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relname = $1`,
        [sequence],
      );
      if (found.length === 0) throw new RestoreRefused(`the target database has no sequence ${sequence}`);
      await tx.query('SELECT setval($1::regclass, $2::bigint, $3)', [sequence, state.value, state.called]);
    }
    await compareWithManifest(tx, tables, manifest.tables);
  });
  return {
    file,
    source: header.source,
    createdAt: header.createdAt,
    tables: manifest.tables,
    rows: manifest.tables.reduce((sum, t) => sum + t.rows, 0),
  };
}

/** COPY of one batch; a value the database rejects (a hand-made file) is a refusal, not a crash. */
async function load(tx: Sql, table: string, columns: string[], rows: TextRow[]): Promise<void> {
  try {
    await tx.copyIn(table, columns, rows.map(copyLine).join(''));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new RestoreRefused(`table ${table}: the database refused a row: ${reason}`);
  }
}

async function refuseUnlessEmpty(tx: Sql, tables: TableShape[], seeded: Set<string>): Promise<void> {
  for (const table of tables) {
    if (seeded.has(table.name)) continue;
    const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table.name}`);
    if (row && row.n > 0)
      throw new RestoreRefused(`the target database is not empty: ${table.name} has ${row.n} rows`);
  }
}

function sameColumns(
  file: string,
  target: TableShape | undefined,
  table: string,
  columns: string[],
): string[] {
  if (!target)
    throw new RestoreRefused(`${file} holds table ${table}, which the target database does not have`);
  if ([...columns].sort().join() !== [...target.columns].sort().join())
    throw new RestoreRefused(`${file}: table ${table} has other columns than in the target database`);
  return columns;
}

/** Every table as now in the database against the manifest; a difference undoes the restore. */
async function compareWithManifest(tx: Sql, tables: TableShape[], expected: TableChecksum[]): Promise<void> {
  const wanted = new Map(expected.map((t) => [t.table, t]));
  for (const table of tables) {
    const actual = await tableChecksum(tx, table);
    const want = wanted.get(table.name) ?? { rows: 0, sha256: actual.rows === 0 ? actual.sha256 : '' };
    if (actual.rows !== want.rows)
      throw new RestoreRefused(
        `table ${table.name}: ${actual.rows} rows restored, the backup holds ${want.rows}`,
      );
    if (actual.sha256 !== want.sha256) throw new RestoreRefused(`table ${table.name}: checksum mismatch`);
  }
}

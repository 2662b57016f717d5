/**
 * A table's canonical content: its rows in primary-key order, each value as PostgreSQL's own text
 * form (`::text`, under useCanonicalText) or null, one JSON array per line. The same data gives the
 * same lines, and so the same SHA-256, on PGlite and on a PostgreSQL server; these lines are also
 * what a backup file stores, so the file's checksum and the database's are computed alike.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Sql } from '../db/database.ts';
import { listTables, plainIdentifier, useCanonicalText, type TableShape } from './catalog.ts';

export type TextRow = (string | null)[];

export interface TableChecksum {
  table: string;
  rows: number;
  sha256: string;
}

const fetchSize = 1000;

export const rowLine = (row: TextRow): string => JSON.stringify(row) + '\n';

/**
 * Reads a table through a cursor a batch at a time, so memory stays bounded however large it is.
 * Must run inside a transaction (cursors live in one).
 */
export async function* readTable(tx: Sql, table: TableShape): AsyncGenerator<TextRow[]> {
  const cursor = `backup_${plainIdentifier(table.name)}`;
  const values = table.columns.map((c, i) => `${c}::text AS c${i}`).join(', ');
  await tx.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${values} FROM ${table.name} ORDER BY ${table.order}`,
  );
  try {
    for (;;) {
      const rows = await tx.query<Record<string, string | null>>(`FETCH ${fetchSize} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield rows.map((r) => table.columns.map((_, i) => r[`c${i}`] ?? null));
    }
  } finally {
    await tx.query(`CLOSE ${cursor}`);
  }
}

/** Counts and hashes the canonical lines of one table as they go by. */
export class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');
  constructor(readonly table: string) {}
  add(line: string): void {
    this.rows++;
    this.hash.update(line);
  }
  result(): TableChecksum {
    return { table: this.table, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

export async function tableChecksum(tx: Sql, table: TableShape): Promise<TableChecksum> {
  const digest = new TableDigest(table.name);
  for await (const batch of readTable(tx, table)) for (const row of batch) digest.add(rowLine(row));
  return digest.result();
}

/** Every table's row count and checksum, read in one transaction (the tables in backup order). */
export async function databaseChecksums(db: {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}): Promise<TableChecksum[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await useCanonicalText(tx);
    const out: TableChecksum[] = [];
    for (const table of await listTables(tx)) out.push(await tableChecksum(tx, table));
    return out;
  });
}

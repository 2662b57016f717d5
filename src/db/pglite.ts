/** The embedded database: PGlite (PostgreSQL in WebAssembly) with its data folder on disk. */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { copyStatement, typeParsers, type Database, type Row, type Sql } from './database.ts';
import { acquireFolderLock } from './folder-lock.ts';

function wrap(client: PGlite | Transaction): Sql {
  return {
    async query<R = Row>(text: string, params: readonly unknown[] = []) {
      const result = await client.query<R>(text, [...params]);
      return result.rows;
    },
    async copyIn(table, columns, data) {
      if (data.length === 0) return;
      await client.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([data]) });
    },
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const release = await acquireFolderLock(dataDir);
  try {
    const pg = await PGlite.create(dataDir, { parsers: typeParsers });
    const base = wrap(pg);
    return {
      kind: 'pglite',
      location: dataDir,
      query: base.query,
      copyIn: base.copyIn,
      transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
      async close() {
        await pg.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Opens the configured database and brings its schema up to date. */
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';

export async function connect(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  // each engine's driver is loaded only when it is used: a command on one does not load the other
  const db = options.databaseUrl
    ? await (await import('./postgres.ts')).openPostgres(options.databaseUrl)
    : await (await import('./pglite.ts')).openPglite(options.dataDir);
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

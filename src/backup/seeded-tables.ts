/**
 * Tables that hold rows in a database nobody has used yet, so their rows do not make it "not
 * empty": `code_lists`, which every start fills from CLEARWAY_REFERENCE_DIR when it is empty, and
 * any table a migration inserts into (e.g. the ledger's head row). Found in the migrations
 * themselves, so a new seeded table needs no change here. A restore replaces their rows.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const migrations = path.join(import.meta.dirname, '../db/migrations');

export async function seededTables(): Promise<Set<string>> {
  const out = new Set(['code_lists']);
  for (const file of (await readdir(migrations)).filter((f) => f.endsWith('.sql'))) {
    const text = (await readFile(path.join(migrations, file), 'utf8')).replace(/--.*$/gm, '');
    for (const m of text.matchAll(/\bINSERT\s+INTO\s+([a-z_][a-z0-9_]*)/gi))
      out.add(m[1]?.toLowerCase() ?? '');
  }
  return out;
}

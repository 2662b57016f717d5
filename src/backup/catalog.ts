/**
 * What a backup holds, read from the catalog rather than listed by hand so that a new migration's
 * tables are backed up without a change here: every table and sequence of the public schema,
 * except `schema_migrations`, whose applied versions travel in the header instead.
 */
import type { Sql } from '../db/database.ts';

export interface TableShape {
  name: string;
  columns: string[];
  /** ORDER BY list giving the canonical row order: the primary key, text compared bytewise. */
  order: string;
}

const bookkeeping = 'schema_migrations';

/**
 * Session settings under which `::text` gives the same output on PGlite and on any PostgreSQL
 * server: timestamps in UTC and ISO style, shortest exact floats. Run first in every backup,
 * restore or checksum transaction (SET LOCAL ends with the transaction).
 */
export async function useCanonicalText(tx: Sql): Promise<void> {
  for (const setting of [
    "SET LOCAL TimeZone TO 'UTC'",
    "SET LOCAL DateStyle TO 'ISO, YMD'",
    "SET LOCAL IntervalStyle TO 'postgres'",
    'SET LOCAL extra_float_digits TO 1',
    "SET LOCAL bytea_output TO 'hex'",
  ])
    await tx.query(setting);
}

/** Tables with parents before the tables whose foreign keys refer to them, then by name. */
export async function listTables(tx: Sql): Promise<TableShape[]> {
  const rows = await tx.query<{ name: string; columns: string[]; key: string[]; collated: boolean[] }>(
    `SELECT c.relname AS name,
            array(SELECT a.attname FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                  ORDER BY a.attnum)::text[] AS columns,
            array(SELECT a.attname FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                  WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.n)::text[] AS key,
            array(SELECT a.attcollation <> 0 FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                  WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.n) AS collated
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1
     ORDER BY c.relname COLLATE "C"`,
    [bookkeeping],
  );
  const edges = await tx.query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname AS child, pa.relname AS parent
     FROM pg_constraint f JOIN pg_class ch ON ch.oid = f.conrelid JOIN pg_class pa ON pa.oid = f.confrelid
     JOIN pg_namespace n ON n.oid = ch.relnamespace
     WHERE f.contype = 'f' AND n.nspname = 'public' AND ch.oid <> pa.oid`,
  );
  const shapes = rows.map((r): TableShape => {
    for (const name of [r.name, ...r.columns]) plainIdentifier(name);
    // without a primary key every column orders the rows (none of ours lacks one)
    const key = r.key.length > 0 ? r.key : r.columns;
    const collated = r.key.length > 0 ? r.collated : r.columns.map(() => true);
    const order = key.map((k, i) => (collated[i] ? `${k}::text COLLATE "C"` : k)).join(', ');
    return { name: r.name, columns: r.columns, order };
  });
  return parentsFirst(shapes, edges);
}

function parentsFirst(tables: TableShape[], edges: { child: string; parent: string }[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableShape[] = [];
  const visit = (t: TableShape, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const e of edges) {
      const parent = e.child === t.name ? byName.get(e.parent) : undefined;
      if (parent) visit(parent, path);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

export interface SequenceState {
  value: string;
  called: boolean;
}

/** Every sequence's position: identity columns' and `declaration_id_seq`, read by name. */
export async function readSequences(tx: Sql): Promise<Record<string, SequenceState>> {
  const names = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname COLLATE "C"`,
  );
  const out: Record<string, SequenceState> = {};
  for (const { name } of names) {
    const [row] = await tx.query<{ value: string; called: boolean }>(
      `SELECT last_value::text AS value, is_called AS called FROM ${plainIdentifier(name)}`,
    );
    if (row) out[name] = row;
  }
  return out;
}

export async function appliedMigrations(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ version: string }>(
    `SELECT version FROM ${bookkeeping} ORDER BY version COLLATE "C"`,
  );
  return rows.map((r) => r.version);
}

export function plainIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return name;
}

/**
 * Stores encoded declarations in batches through COPY: headers, items, their first two events and
 * any historical control results, in one transaction per batch, with the hook that tells exchange. Resubmissions (same trader and
 * functional reference) are counted, never stored twice, also when two imports of overlapping files
 * run at once: whether a declaration is new is decided by the unique index, inside the transaction
 * that stores it.
 */
import type { Database, Sql } from '../db/database.ts';
import { copyLine, copyValue } from '../db/copy-text.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { EventKind, firstStatus } from './lifecycle.ts';
import type { EncodedDeclaration } from './prepare.ts';
import { declarationColumns, itemColumns } from './rows.ts';
import { countDeclarations } from './trader-counts.ts';

export interface BatchOutcome {
  stored: number;
  duplicates: EncodedDeclaration[];
  /** Same trader and functional reference as a stored declaration, but different content. */
  conflicts: EncodedDeclaration[];
}

/**
 * Called in the transaction that stores a batch, with the declarations it stored (not those it
 * found stored already), before their traders' counts: exchange queues the exports bound for a
 * partner and matches the imports to the export records waiting for them (exchange/bulk.ts).
 */
export interface StoredHook {
  stored(tx: Sql, stored: readonly StoredRow[], actor: string): Promise<void>;
}

export interface StoredRow {
  id: number;
  row: EncodedDeclaration;
}

interface Meta {
  source: string;
  actor: string;
  hook?: StoredHook | undefined;
}

const eventColumns = ['declaration_id', 'seq', 'kind', 'actor', 'data'] as const;
const controlColumns = [
  'declaration_id',
  'outcome',
  'irregularity',
  'severity',
  'source',
  'recorded_by',
  'recorded_at',
] as const;
const uniqueViolation = '23505';
const deadlock = '40P01';
const codeOf = (error: unknown) => (error as { code?: string }).code;
const keyOf = (trader: string, reference: string) => `${trader}\u0000${reference}`;

/**
 * Stores a batch. The first attempt assumes its references are new, as they are in a first import,
 * and copies everything at COPY speed; when the unique index says otherwise (a resubmission, or
 * another import storing the same declarations at that moment) the batch is stored again by the
 * path that lets the index decide row by row and counts the rest as duplicates or conflicts.
 */
export async function storeBatch(
  db: Database,
  rows: readonly EncodedDeclaration[],
  meta: Meta,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { stored: 0, duplicates: [], conflicts: [] };
  // within the batch, the first row of a trader's reference is the one stored
  const firstOf = new Map<string, EncodedDeclaration>();
  const fresh: EncodedDeclaration[] = [];
  for (const row of rows) {
    const first = firstOf.get(keyOf(row.trader, row.reference));
    if (first === undefined) {
      firstOf.set(keyOf(row.trader, row.reference), row);
      fresh.push(row);
    } else if (first.hash === row.hash) outcome.duplicates.push(row);
    else outcome.conflicts.push(row);
  }
  if (fresh.length === 0) return outcome;
  try {
    await db.transaction((tx) => storeAll(tx, fresh, meta));
    outcome.stored = fresh.length;
    return outcome;
  } catch (error) {
    // a deadlock too: the copy takes the index entries in file order, the path below in key order
    if (codeOf(error) !== uniqueViolation && codeOf(error) !== deadlock) throw error;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const { stored, existing } = await db.transaction((tx) => storeNew(tx, fresh, meta));
      outcome.stored = stored;
      for (const row of fresh) {
        const hash = existing.get(keyOf(row.trader, row.reference));
        if (hash === undefined) continue;
        if (hash === row.hash) outcome.duplicates.push(row);
        else outcome.conflicts.push(row);
      }
      return outcome;
    } catch (error) {
      // the copy of another import that took the same keys in another order
      if (codeOf(error) !== deadlock || attempt >= 5) throw error;
    }
  }
}

/** Stores every row, assuming none is stored yet (the unique index refuses the batch otherwise). */
async function storeAll(tx: Sql, rows: readonly EncodedDeclaration[], meta: Meta): Promise<void> {
  const ids = await reserveIds(tx, rows.length);
  await tx.copyIn('declarations', declarationColumns, headersText(rows, ids, meta));
  await storeRest(tx, rows, ids, meta);
}

/**
 * Stores the rows whose trader and reference are not stored yet, deciding under the unique index
 * (a concurrent import's row is waited for, then skipped), taken in key order so that two imports
 * cannot deadlock; returns how many were stored and the content hashes of those already there.
 */
async function storeNew(
  tx: Sql,
  rows: readonly EncodedDeclaration[],
  meta: Meta,
): Promise<{ stored: number; existing: Map<string, string> }> {
  const ids = await reserveIds(tx, rows.length);
  const columns = declarationColumns.join(', ');
  await tx.query(
    `CREATE TEMPORARY TABLE import_headers (LIKE declarations INCLUDING DEFAULTS) ON COMMIT DROP`,
  );
  await tx.copyIn('import_headers', declarationColumns, headersText(rows, ids, meta));
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO declarations (${columns})
     SELECT ${columns} FROM import_headers ORDER BY trader_id, functional_reference
     ON CONFLICT (trader_id, functional_reference) DO NOTHING RETURNING id`,
  );
  const storedIds = new Set(inserted.map((r) => Number(r.id)));
  const newRows: EncodedDeclaration[] = [];
  const newIds: number[] = [];
  const others: EncodedDeclaration[] = [];
  rows.forEach((row, k) => {
    const id = ids[k];
    if (id !== undefined && storedIds.has(id)) {
      newRows.push(row);
      newIds.push(id);
    } else others.push(row);
  });
  if (newRows.length > 0) await storeRest(tx, newRows, newIds, meta);
  return { stored: newRows.length, existing: await existing(tx, others) };
}

/** The header lines of the rows, in COPY text, with their ids. */
function headersText(rows: readonly EncodedDeclaration[], ids: readonly number[], meta: Meta): string {
  const tail = `\t${copyValue(meta.source)}\t${copyValue(meta.actor)}\n`;
  let headers = '';
  rows.forEach((row, k) => {
    headers += `${idAt(ids, k)}\t${row.header}\t${firstStatus}\t${row.hash}\t${copyValue(row.findings)}${tail}`;
  });
  return headers;
}

const idAt = (ids: readonly number[], k: number): number => {
  const id = ids[k];
  if (id === undefined) throw new Error('fewer ids than declarations');
  return id;
};

/**
 * Items, the first events and historical control results of stored headers, the ledger entry, the
 * hook, and the stored declarations counted for their traders.
 */
async function storeRest(
  tx: Sql,
  rows: readonly EncodedDeclaration[],
  ids: readonly number[],
  meta: Meta,
): Promise<void> {
  const lodged = copyValue(JSON.stringify({ source: meta.source }));
  const actor = copyValue(meta.actor);
  let items = '';
  let events = '';
  let controls = '';
  rows.forEach((row, k) => {
    const id = idAt(ids, k);
    for (const item of row.items) items += `${id}\t${item}\n`;
    // the events whose status the header was given (lifecycle.ts, firstStatus)
    events += `${id}\t1\t${EventKind.Lodged}\t${actor}\t${lodged}\n${id}\t2\t${EventKind.Accepted}\t${actor}\t${row.warnings ? `{"warnings":${row.warnings}}` : '\\N'}\n`;
    const c = row.control;
    if (c)
      controls += copyLine([
        id,
        c.outcome,
        c.irregularity,
        c.severity,
        'historical',
        meta.actor,
        `${row.date}T00:00:00Z`,
      ]);
  });
  await tx.copyIn('declaration_items', itemColumns, items);
  await tx.copyIn('declaration_events', eventColumns, events);
  await tx.copyIn('control_results', controlColumns, controls);
  // one ledger entry per batch, which keeps imports at COPY speed
  await recordChange(tx, {
    actor: meta.actor,
    action: 'declarations.imported',
    subjectKind: SubjectKind.Declarations,
    subjectId: null,
    data: {
      count: rows.length,
      firstId: ids[0] ?? null,
      lastId: ids.at(-1) ?? null,
      source: meta.source,
    },
  });
  await meta.hook?.stored(
    tx,
    rows.map((row, k) => ({ id: idAt(ids, k), row })),
    meta.actor,
  );
  // last, as every writer takes the trader history (trader-counts.ts)
  await countDeclarations(
    tx,
    rows.map((r) => r.trader),
  );
}

/** The content hashes of stored declarations with the same trader and functional reference. */
async function existing(sql: Sql, rows: readonly EncodedDeclaration[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const found = await sql.query<{ trader_id: string; functional_reference: string; content_hash: string }>(
    `SELECT d.trader_id, d.functional_reference, d.content_hash
     FROM declarations d JOIN unnest($1::text[], $2::text[]) AS k(trader, ref)
       ON d.trader_id = k.trader AND d.functional_reference = k.ref`,
    [rows.map((r) => r.trader), rows.map((r) => r.reference)],
  );
  return new Map(found.map((r) => [keyOf(r.trader_id, r.functional_reference), r.content_hash]));
}

async function reserveIds(tx: Sql, n: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>(
    "SELECT nextval('declaration_id_seq') AS id FROM generate_series(1, $1)",
    [n],
  );
  return rows.map((r) => r.id);
}

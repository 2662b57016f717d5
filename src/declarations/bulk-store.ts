/**
 * Stores encoded declarations in batches through COPY: headers, items, their first two events and
 * any historical control results, in one transaction per batch. Resubmissions (same trader and
 * functional reference) are found first and counted, never stored twice.
 */
import type { Database, Sql } from '../db/database.ts';
import { copyLine, copyValue } from '../db/copy-text.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import type { EncodedDeclaration } from './prepare.ts';
import { declarationColumns, itemColumns } from './rows.ts';

export interface BatchOutcome {
  stored: number;
  duplicates: EncodedDeclaration[];
  /** Same trader and functional reference as a stored declaration, but different content. */
  conflicts: EncodedDeclaration[];
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

/**
 * Stores a batch. The first attempt assumes its references are new, as they are in a first import,
 * and lets the unique index say otherwise; only then are the stored references looked up, and
 * looked up again should another writer store one of them in between.
 */
export async function storeBatch(
  db: Database,
  rows: readonly EncodedDeclaration[],
  meta: { source: string; actor: string },
): Promise<BatchOutcome> {
  for (let attemptNo = 0; ; attemptNo++) {
    try {
      return await attempt(db, rows, meta, attemptNo > 0);
    } catch (error) {
      if ((error as { code?: string }).code !== uniqueViolation || attemptNo >= 2) throw error;
    }
  }
}

async function attempt(
  db: Database,
  rows: readonly EncodedDeclaration[],
  meta: { source: string; actor: string },
  lookUp: boolean,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { stored: 0, duplicates: [], conflicts: [] };
  if (rows.length === 0) return outcome;
  const known = lookUp ? await existing(db, rows) : new Map<string, string>();
  const fresh: EncodedDeclaration[] = [];
  for (const row of rows) {
    const key = `${row.trader}\u0000${row.reference}`;
    const hash = known.get(key);
    if (hash === undefined) {
      known.set(key, row.hash);
      fresh.push(row);
    } else if (hash === row.hash) outcome.duplicates.push(row);
    else outcome.conflicts.push(row);
  }
  if (fresh.length === 0) return outcome;
  await db.transaction(async (tx) => {
    const ids = await reserveIds(tx, fresh.length);
    const tail = `\t${copyValue(meta.source)}\t${copyValue(meta.actor)}\n`;
    const lodged = copyValue(JSON.stringify({ source: meta.source }));
    const actor = copyValue(meta.actor);
    let headers = '';
    let items = '';
    let events = '';
    let controls = '';
    for (let k = 0; k < fresh.length; k++) {
      const row = fresh[k];
      const id = ids[k];
      if (!row || id === undefined) throw new Error('fewer ids than declarations');
      headers += `${id}\t${row.header}\taccepted\t${row.hash}\t${copyValue(row.findings)}${tail}`;
      for (const item of row.items) items += `${id}\t${item}\n`;
      events += `${id}\t1\tlodged\t${actor}\t${lodged}\n${id}\t2\taccepted\t${actor}\t${row.warnings ? `{"warnings":${row.warnings}}` : '\\N'}\n`;
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
    }
    await tx.copyIn('declarations', declarationColumns, headers);
    await tx.copyIn('declaration_items', itemColumns, items);
    await tx.copyIn('declaration_events', eventColumns, events);
    await tx.copyIn('control_results', controlColumns, controls);
    // one ledger entry per batch (ids are consecutive within it), which keeps imports at COPY speed
    await recordChange(tx, {
      actor: meta.actor,
      action: 'declarations.imported',
      subjectKind: SubjectKind.Declarations,
      subjectId: null,
      data: { count: fresh.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null, source: meta.source },
    });
  });
  outcome.stored = fresh.length;
  return outcome;
}

/** The content hashes of stored declarations with the same trader and functional reference. */
async function existing(db: Database, rows: readonly EncodedDeclaration[]): Promise<Map<string, string>> {
  const found = await db.query<{ trader_id: string; functional_reference: string; content_hash: string }>(
    `SELECT d.trader_id, d.functional_reference, d.content_hash
     FROM declarations d JOIN unnest($1::text[], $2::text[]) AS k(trader, ref)
       ON d.trader_id = k.trader AND d.functional_reference = k.ref`,
    [rows.map((r) => r.trader), rows.map((r) => r.reference)],
  );
  return new Map(found.map((r) => [`${r.trader_id}\u0000${r.functional_reference}`, r.content_hash]));
}

async function reserveIds(tx: Sql, n: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>(
    "SELECT nextval('declaration_id_seq') AS id FROM generate_series(1, $1)",
    [n],
  );
  return rows.map((r) => r.id);
}

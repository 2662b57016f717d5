/**
 * Stores validated declarations in batches through COPY: headers, items, their first two events
 * and any historical control results, in one transaction per batch. Resubmissions (same trader and
 * functional reference) are found first and counted, never stored twice.
 */
import type { Database, Sql } from '../db/database.ts';
import { copyLine } from '../db/copy-text.ts';
import type { HistoricalControl } from './formats/format.ts';
import type { DeclarationInput, Finding } from './model.ts';
import { declarationColumns, headerCopyLine, itemColumns, itemCopyLines, type EncodedContent } from './rows.ts';

export interface BulkRow {
  line: number;
  input: DeclarationInput;
  warnings: Finding[];
  content: EncodedContent;
  contentHash: string;
  control?: HistoricalControl;
}

export interface BatchOutcome {
  stored: number;
  duplicates: BulkRow[];
  /** Same trader and functional reference as a stored declaration, but different content. */
  conflicts: BulkRow[];
}

const eventColumns = ['declaration_id', 'seq', 'kind', 'actor', 'data'] as const;
const controlColumns = ['declaration_id', 'outcome', 'irregularity', 'severity', 'source', 'recorded_by', 'recorded_at'] as const;
const uniqueViolation = '23505';

const keyOf = (d: DeclarationInput) => `${d.trader}\u0000${d.functionalReference}`;

export async function storeBatch(db: Database, rows: readonly BulkRow[], meta: { source: string; actor: string }): Promise<BatchOutcome> {
  try {
    return await attempt(db, rows, meta);
  } catch (error) {
    // another writer stored one of these references between our look-up and the COPY: look again
    if ((error as { code?: string }).code !== uniqueViolation) throw error;
    return attempt(db, rows, meta);
  }
}

async function attempt(db: Database, rows: readonly BulkRow[], meta: { source: string; actor: string }): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { stored: 0, duplicates: [], conflicts: [] };
  const known = await existing(db, rows);
  const fresh: BulkRow[] = [];
  for (const row of rows) {
    const key = keyOf(row.input);
    const hash = known.get(key);
    if (hash === undefined) {
      known.set(key, row.contentHash);
      fresh.push(row);
    } else if (hash === row.contentHash) outcome.duplicates.push(row);
    else outcome.conflicts.push(row);
  }
  if (fresh.length === 0) return outcome;
  await db.transaction(async (tx) => {
    const ids = await reserveIds(tx, fresh.length);
    let headers = '';
    let items = '';
    let events = '';
    let controls = '';
    const lodged = JSON.stringify({ source: meta.source });
    fresh.forEach((row, k) => {
      const id = ids[k] ?? 0;
      const findings = row.warnings.length ? JSON.stringify(row.warnings) : '[]';
      headers += headerCopyLine(id, row.content, { status: 'accepted', contentHash: row.contentHash, findings, source: meta.source, lodgedBy: meta.actor });
      items += itemCopyLines(id, row.content);
      events += copyLine([id, 1, 'lodged', meta.actor, lodged]);
      events += copyLine([id, 2, 'accepted', meta.actor, row.warnings.length ? `{"warnings":${row.warnings.length}}` : null]);
      const c = row.control;
      if (c) controls += copyLine([id, c.outcome, c.irregularity, c.severity, 'historical', meta.actor, `${row.input.date}T00:00:00Z`]);
    });
    await tx.copyIn('declarations', declarationColumns, headers);
    await tx.copyIn('declaration_items', itemColumns, items);
    await tx.copyIn('declaration_events', eventColumns, events);
    await tx.copyIn('control_results', controlColumns, controls);
  });
  outcome.stored = fresh.length;
  return outcome;
}

/** The content hashes of stored declarations with the same trader and functional reference. */
async function existing(db: Database, rows: readonly BulkRow[]): Promise<Map<string, string>> {
  const traders = rows.map((r) => r.input.trader);
  const refs = rows.map((r) => r.input.functionalReference);
  const found = await db.query<{ trader_id: string; functional_reference: string; content_hash: string }>(
    `SELECT d.trader_id, d.functional_reference, d.content_hash
     FROM declarations d JOIN unnest($1::text[], $2::text[]) AS k(trader, ref)
       ON d.trader_id = k.trader AND d.functional_reference = k.ref`,
    [traders, refs],
  );
  return new Map(found.map((r) => [`${r.trader_id}\u0000${r.functional_reference}`, r.content_hash]));
}

async function reserveIds(tx: Sql, n: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>("SELECT nextval('declaration_id_seq') AS id FROM generate_series(1, $1)", [n]);
  return rows.map((r) => r.id);
}

/**
 * The declarations batch assessment picks up: open, without a lane, read with only what the scorers
 * look at (each declaration's items come with it as one JSON array, not as rows of their own).
 */
import type { Sql } from '../db/database.ts';
import { EventKind, transitionOf } from '../declarations/lifecycle.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { headerContentColumns, inputFromRow, itemFromRow } from '../declarations/rows.ts';

/** The statuses in which a declaration may be assessed (lifecycle.ts). */
export const assessable = transitionOf(EventKind.Assessed).from;

const pendingStatement = `SELECT d.id, ${headerContentColumns.map((c) => `d.${c}`).join(', ')},
    (SELECT json_agg(i ORDER BY i.sequence) FROM declaration_items i WHERE i.declaration_id = d.id)::text AS items
  FROM declarations d WHERE d.lane IS NULL AND d.id > $1 AND d.status = ANY($3::text[])
  ORDER BY d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED`;

/**
 * The next open declarations without a lane after id `after`, locked for the caller's transaction;
 * those another transaction holds are skipped (it is assessing or amending them), and so are those
 * without items. `last` is the last id looked at, null when there was none.
 */
export async function pendingBatch(
  tx: Sql,
  after: number,
  size: number,
): Promise<{ batch: { id: number; input: DeclarationInput }[]; last: number | null }> {
  const rows = await tx.query<Record<string, unknown> & { id: number; items: string | null }>(
    pendingStatement,
    [after, size, assessable],
  );
  const batch = rows.flatMap((r) => {
    const items = r.items === null ? [] : (JSON.parse(r.items) as Record<string, unknown>[]);
    return items.length > 0 ? [{ id: r.id, input: inputFromRow(r, items.map(itemFromRow)) }] : [];
  });
  return { batch, last: rows.at(-1)?.id ?? null };
}

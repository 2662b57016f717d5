/**
 * When reading a declaration's invoice finds discrepancies (documents/reader.ts): in the
 * transaction that records the reading, the declaration is assessed again if it was assessed and
 * is still open (accepted or amended, not yet controlled, released or cancelled), so that rule
 * profiles on the documents' indicators (profiles/fields.ts) see them. As after an amendment, the
 * lane can only become stricter and a random selection stands.
 */
import type { Sql } from '../db/database.ts';
import { declarationsRepository as repo } from '../declarations/repository.ts';
import { documentActor, type RiskEngine } from './assessment.ts';
import { assessable } from './pending.ts';

/** Assesses declaration `id` again if it was assessed and is still open; returns its new lane. */
export function documentReassessment(risk: RiskEngine) {
  return async (tx: Sql, id: number): Promise<string | undefined> => {
    // under the row lock, as an amendment or a cancellation takes it
    const [row] = await tx.query<{ status: string; lane: string | null }>(
      'SELECT status, lane FROM declarations WHERE id = $1 FOR UPDATE',
      [id],
    );
    // one not assessed yet is assessed with its documents by the batch that picks it up
    if (!row || row.lane === null || !assessable.includes(row.status as (typeof assessable)[number]))
      return undefined;
    const d = await repo.findById(tx, id, { kind: 'all' });
    if (!d) return undefined;
    return (await risk.assess(tx, id, d, documentActor, true))?.lane;
  };
}

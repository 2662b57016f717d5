/**
 * When a partner's export record arrives after its import was lodged and assessed (ADR 0024): the
 * match is recorded by exchange/matching.ts, and here, in the same transaction, the import is
 * assessed again if it is still open (accepted or amended, not yet controlled, released or
 * cancelled). As after an amendment, the lane can only become stricter and a random selection
 * stands; the `assessed` event, the assessment and its ledger entry are appended as at any assessment.
 */
import type { Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { declarationsRepository as repo } from '../declarations/repository.ts';
import { mirrorActor, type RiskEngine } from './assessment.ts';
import { assessable } from './pending.ts';

export function mirrorReassessment(risk: RiskEngine) {
  return {
    load: (tx: Sql, id: number): Promise<DeclarationInput | undefined> =>
      repo.findById(tx, id, { kind: 'all' }),
    /** Assesses the matched import again if it was assessed and is still open; returns its new lane. */
    async matched(tx: Sql, match: { declarationId: number }): Promise<string | undefined> {
      const id = match.declarationId;
      // under the row lock, as an amendment or a cancellation takes it
      const [row] = await tx.query<{ status: string; lane: string | null }>(
        'SELECT status, lane FROM declarations WHERE id = $1 FOR UPDATE',
        [id],
      );
      // one not assessed yet is assessed with its mirror by the batch that picks it up
      if (!row || row.lane === null || !assessable.includes(row.status as (typeof assessable)[number]))
        return;
      const d = await repo.findById(tx, id, { kind: 'all' });
      if (!d) return;
      const stored = await risk.assess(tx, id, d, mirrorActor, true);
      return stored?.lane;
    },
  };
}

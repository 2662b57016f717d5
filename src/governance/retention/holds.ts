/**
 * Legal holds: a declaration under hold is kept, with everything that belongs to it, whatever the
 * retention policy says, until the hold is released. Placing and releasing are recorded in the
 * ledger with their reasons.
 *
 * Placing a hold locks the declaration's row, as the archival run does before purging it, so the
 * two never cross: a hold placed first keeps the declaration, and one placed after finds it gone.
 */
import type { Database, Sql } from '../../db/database.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { SubjectKind } from '../ledger/entry.ts';
import { recordChange } from '../ledger/record.ts';

export interface LegalHold {
  id: number;
  declarationId: number;
  reason: string;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export type HoldError =
  | { code: 'declaration_not_found'; message: string }
  | { code: 'already_held' | 'not_held'; message: string }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'invalid_hold'; message: string };

const columns = `id, declaration_id AS "declarationId", reason, placed_by AS "placedBy", placed_at AS "placedAt",
  released_by AS "releasedBy", released_at AS "releasedAt", release_reason AS "releaseReason"`;

export const maxReasonLength = 2000;

function checkReason(reason: string): HoldError | null {
  const r = reason.trim();
  if (r.length < 3)
    return { code: 'invalid_hold', message: 'give the reason for the hold (a case or order reference)' };
  if (r.length > maxReasonLength)
    return { code: 'invalid_hold', message: `the reason is longer than ${maxReasonLength} characters` };
  return null;
}

const notFound = (id: number): HoldError => ({
  code: 'declaration_not_found',
  message: `declaration ${id} does not exist (or was archived and purged)`,
});

/** Whether the caller may change the holds of a declaration lodged at `office`: null, or why not. */
export type HoldPermission = (office: string) => string | null;

/**
 * A change to a declaration's hold: the reason checked, then, in a transaction holding the
 * declaration's row lock, the caller's permission for its office and `change`, its outcome
 * recorded in the ledger as `action`.
 */
async function changeHold(
  db: Database,
  declarationId: number,
  reason: string,
  actor: string,
  action: 'legal_hold.placed' | 'legal_hold.released',
  change: (tx: Sql, reason: string) => Promise<Result<LegalHold, HoldError>>,
  permitted: HoldPermission,
): Promise<Result<LegalHold, HoldError>> {
  const problem = checkReason(reason);
  if (problem) return err(problem);
  return db.transaction(async (tx) => {
    const [found] = await tx.query<{ office: string }>(
      'SELECT office FROM declarations WHERE id = $1 FOR UPDATE',
      [declarationId],
    );
    if (!found) return err(notFound(declarationId));
    const refusal = permitted(found.office);
    if (refusal) return err({ code: 'action_not_allowed', message: refusal });
    const changed = await change(tx, reason.trim());
    if (!changed.ok) return changed;
    const hold = changed.value;
    await recordChange(tx, {
      actor,
      action,
      subjectKind: SubjectKind.Declaration,
      subjectId: String(declarationId),
      data: { hold: hold.id, reason: hold.releaseReason ?? hold.reason },
    });
    return changed;
  });
}

/** Anyone who reaches the hold functions without an office rule: administrators, the command line. */
const anyOffice: HoldPermission = () => null;

export function placeHold(
  db: Database,
  declarationId: number,
  reason: string,
  actor: string,
  permitted = anyOffice,
): Promise<Result<LegalHold, HoldError>> {
  return changeHold(
    db,
    declarationId,
    reason,
    actor,
    'legal_hold.placed',
    async (tx, why) => {
      const [standing] = await standingHolds(tx, [declarationId]);
      if (standing)
        return err({
          code: 'already_held',
          message: `declaration ${declarationId} is already under legal hold (placed by ${standing.placedBy})`,
        });
      const [hold] = await tx.query<LegalHold>(
        `INSERT INTO legal_holds (declaration_id, reason, placed_by) VALUES ($1, $2, $3) RETURNING ${columns}`,
        [declarationId, why, actor],
      );
      if (!hold) throw new Error('the legal hold was not stored');
      return ok(hold);
    },
    permitted,
  );
}

export function releaseHold(
  db: Database,
  declarationId: number,
  reason: string,
  actor: string,
  permitted = anyOffice,
): Promise<Result<LegalHold, HoldError>> {
  return changeHold(
    db,
    declarationId,
    reason,
    actor,
    'legal_hold.released',
    async (tx, why) => {
      const [hold] = await tx.query<LegalHold>(
        `UPDATE legal_holds SET released_by = $2, released_at = now(), release_reason = $3
       WHERE declaration_id = $1 AND released_at IS NULL RETURNING ${columns}`,
        [declarationId, actor, why],
      );
      return hold
        ? ok(hold)
        : err({ code: 'not_held', message: `declaration ${declarationId} is not under legal hold` });
    },
    permitted,
  );
}

/** The standing holds of some declarations. */
export function standingHolds(sql: Sql, declarationIds: readonly number[]): Promise<LegalHold[]> {
  return sql.query<LegalHold>(
    `SELECT ${columns} FROM legal_holds WHERE released_at IS NULL AND declaration_id = ANY($1::bigint[])`,
    [declarationIds],
  );
}

/** Holds newest first, a page at a time; standing ones only unless `all`. */
export function listHolds(
  sql: Sql,
  options: { all: boolean; before?: number; limit: number },
): Promise<LegalHold[]> {
  return sql.query<LegalHold>(
    `SELECT ${columns} FROM legal_holds
     WHERE ($1 OR released_at IS NULL) AND id < $2 ORDER BY id DESC LIMIT $3`,
    [options.all, options.before ?? Number.MAX_SAFE_INTEGER, options.limit],
  );
}

/**
 * The decisions on an agreement after its drafting: approve or reject (not by the drafter), suspend
 * at once, resume (not by the one who suspended), revoke for good. Each is one conditional UPDATE
 * and a ledger entry in the same transaction: of two concurrent decisions one wins, the other is
 * refused (409). An approval names the terms approved by their digest (`terms-digest.ts`): the row
 * is locked while it is compared, so a drafter's edit lands either before (the approval is refused,
 * 409 `agreement_changed`) or after (the edit is refused, the draft being approved).
 */
import type { Database } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import {
  findAgreement,
  type AgreementError,
  type AgreementStatus,
  type Decision,
  type StoredAgreement,
} from './agreements.ts';
import { termsDigest } from './terms-digest.ts';

const officials: readonly string[] = [Role.Administrator, Role.Supervisor];

interface Transition {
  from: AgreementStatus;
  to: AgreementStatus;
  /** Whether a reason must be given. */
  reason: boolean;
  /** SQL refusing the actor ($2) on four-eyes grounds, beside the status condition. */
  fourEyes?: string;
  /** The decision columns (approve, reject) or the change columns. */
  sets: string;
}

const transitions: Record<Decision, Transition[]> = {
  approve: [
    {
      from: 'draft',
      to: 'active',
      reason: false,
      fourEyes: 'drafted_by <> $2',
      sets: 'decided_by = $2, decided_at = now(), reason = $3',
    },
  ],
  reject: [
    {
      from: 'draft',
      to: 'rejected',
      reason: true,
      fourEyes: 'drafted_by <> $2',
      sets: 'decided_by = $2, decided_at = now(), changed_by = $2, changed_at = now(), reason = $3',
    },
  ],
  suspend: [
    {
      from: 'active',
      to: 'suspended',
      reason: true,
      sets: 'changed_by = $2, changed_at = now(), reason = $3',
    },
  ],
  resume: [
    {
      from: 'suspended',
      to: 'active',
      reason: false,
      fourEyes: 'changed_by IS DISTINCT FROM $2',
      sets: 'changed_by = $2, changed_at = now(), reason = $3',
    },
  ],
  revoke: [
    { from: 'active', to: 'revoked', reason: true, sets: 'changed_by = $2, changed_at = now(), reason = $3' },
    {
      from: 'suspended',
      to: 'revoked',
      reason: true,
      sets: 'changed_by = $2, changed_at = now(), reason = $3',
    },
  ],
};

export const reasonMax = 1000;

/** Why `actor` may not take `decision` on `a` for four-eyes reasons, or null. */
function fourEyesRefusal(a: StoredAgreement, decision: Decision, by: string): string | null {
  if ((decision === 'approve' || decision === 'reject') && a.draftedBy === by)
    return `${by} drafted agreement ${a.id}; another administrator or supervisor must ${decision} it`;
  if (decision === 'resume' && a.changedBy === by)
    return `${by} suspended agreement ${a.id}; another administrator or supervisor must resume it`;
  return null;
}

/** What comes with a decision: why, and for an approval the digest of the terms reviewed. */
export interface DecisionGiven {
  reason?: string | null;
  /** Required to approve: the `termsDigest` of the agreement as the approver read it. */
  termsDigest?: string;
}

/** An administrator or supervisor approves, rejects, suspends, resumes or revokes an agreement. */
export async function decideAgreement(
  db: Database,
  id: number,
  decision: Decision,
  actor: Actor,
  given: DecisionGiven = {},
): Promise<Result<StoredAgreement, AgreementError>> {
  if (!officials.includes(actor.role))
    return err({ code: 'forbidden', message: 'only administrators and supervisors decide on agreements' });
  const reviewed = given.termsDigest;
  if (decision === 'approve' && !reviewed)
    return err({
      code: 'invalid_agreement',
      field: 'termsDigest',
      message: 'termsDigest: give the termsDigest of the agreement as you reviewed it',
    });
  const reasonGiven = given.reason;
  const reason = reasonGiven?.trim() || null;
  const needsReason = transitions[decision].some((t) => t.reason);
  if (needsReason && !reason)
    return err({
      code: 'invalid_agreement',
      field: 'reason',
      message: `reason: say why the agreement is ${decision === 'reject' ? 'rejected' : decision === 'suspend' ? 'suspended' : 'revoked'}`,
    });
  if (reason && reason.length > reasonMax)
    return err({
      code: 'invalid_agreement',
      field: 'reason',
      message: `reason: at most ${reasonMax} characters`,
    });
  const by = actor.username;
  return db.transaction(async (tx) => {
    const current = await findAgreement(tx, id, { forUpdate: true });
    if (!current) return err({ code: 'agreement_not_found', message: `no agreement ${id}` });
    const step = transitions[decision].find((t) => t.from === current.status);
    if (!step)
      return err({
        code: 'action_not_allowed',
        message: `agreement ${id} is ${current.status}; it cannot be ${pastOf[decision]}`,
      });
    const refusal = fourEyesRefusal(current, decision, by);
    if (refusal) return err({ code: 'four_eyes', message: refusal });
    if (decision === 'approve' && termsDigest(current) !== reviewed)
      return err({
        code: 'agreement_changed',
        message: `agreement ${id} is not the one reviewed: its terms changed since (or the termsDigest is not theirs); read it again and approve the terms as they stand`,
      });
    const changed = await tx.query(
      `UPDATE sharing_agreements SET status = $4, ${step.sets}
       WHERE id = $1 AND status = $5 ${step.fourEyes ? `AND ${step.fourEyes}` : ''} RETURNING id`,
      [id, by, reason, step.to, step.from],
    );
    if (changed.length === 0)
      return err({
        code: 'action_not_allowed',
        message: `agreement ${id} changed meanwhile; it cannot be ${pastOf[decision]} now`,
      });
    await recordChange(tx, {
      actor: by,
      action: `sharing_agreement.${pastOf[decision]}`,
      subjectKind: SubjectKind.Agreement,
      subjectId: String(id),
      // an approval names the terms approved: the ledger's entries of the drafts carry them
      data: {
        agency: current.agency,
        from: current.status,
        to: step.to,
        reason,
        ...(decision === 'approve' ? { termsDigest: reviewed } : {}),
      },
    });
    const after = await findAgreement(tx, id);
    if (!after) throw new Error(`agreement ${id} vanished`);
    return ok(after);
  });
}

const pastOf: Record<Decision, string> = {
  approve: 'approved',
  reject: 'rejected',
  suspend: 'suspended',
  resume: 'resumed',
  revoke: 'revoked',
};

/**
 * Control results: what an officer found when controlling a declaration. Each result is stored,
 * moves the declaration to `controlled` with an event, and becomes feedback for profiles' hit
 * rates and the next model's training data.
 */
import type { Database, Sql } from '../db/database.ts';
import { allowedActions, EventKind, whyNotAllowed } from '../declarations/lifecycle.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import type { Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';

export const Irregularity = {
  Undervaluation: 'undervaluation',
  Misclassification: 'misclassification',
  FalseOrigin: 'false_origin',
  Quantity: 'quantity',
  ProhibitedGoods: 'prohibited_goods',
  Documents: 'documents',
  Other: 'other',
} as const;
export type Irregularity = (typeof Irregularity)[keyof typeof Irregularity];
export const irregularities: readonly Irregularity[] = Object.values(Irregularity);

export interface ControlResultInput {
  outcome: 'compliant' | 'non_compliant';
  irregularity?: Irregularity;
  /** 1 irregularity (default when non-compliant), 2 critical (e.g. smuggling, prohibited goods). */
  severity?: number;
  revenueRecovered?: number;
  seizure?: boolean;
  notes?: string;
}

export interface ControlResult {
  id: number;
  outcome: string;
  irregularity: string | null;
  severity: number;
  revenueRecovered: number | null;
  notes: string | null;
  source: string;
  recordedBy: string;
  recordedAt: string;
}

export type ControlError =
  | { code: 'invalid_control_result'; message: string }
  | { code: 'version_conflict'; message: string }
  | { code: 'declaration_not_found' }
  | { code: 'action_not_allowed'; message: string };

export function checkControlResult(r: ControlResultInput): string | null {
  if (r.outcome === 'non_compliant' && !r.irregularity)
    return 'a non-compliant result names the kind of irregularity';
  if (
    r.outcome === 'compliant' &&
    (r.irregularity || (r.revenueRecovered ?? 0) > 0 || r.seizure || (r.severity ?? 0) > 0)
  ) {
    return 'a compliant result has no irregularity, severity, revenue recovered or seizure';
  }
  return null;
}

/**
 * Records a result for a declaration the caller may control. Whether it may is decided under the
 * declaration's row lock, as assignment does, so a colleague taking the work first wins.
 */
export async function recordControlResult(
  db: Database,
  declarationId: number,
  r: ControlResultInput,
  by: Actor,
): Promise<Result<ControlResult, ControlError>> {
  const actor = by.username;
  const problem = checkControlResult(r);
  if (problem) return err({ code: 'invalid_control_result', message: problem });
  const severity =
    r.outcome === 'compliant'
      ? 0
      : Math.max(1, r.severity ?? (r.seizure || r.irregularity === Irregularity.ProhibitedGoods ? 2 : 1));
  const notes = [r.seizure ? 'goods seized' : '', r.notes ?? ''].filter(Boolean).join('. ') || null;
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [declarationId]);
    const d = await declarationsRepository.findById(tx, declarationId, { kind: 'all' });
    if (!d) return err({ code: 'declaration_not_found' as const });
    if (!allowedActions(d, by).includes('record_control'))
      return err({ code: 'action_not_allowed' as const, message: whyNotAllowed(d, by, 'record_control') });
    const controllable = await declarationsRepository.lockFor(tx, declarationId, EventKind.Controlled);
    if (!controllable)
      return err({
        code: 'version_conflict' as const,
        message: `declaration ${declarationId} can no longer be controlled`,
      });
    const [row] = await tx.query<ControlResult>(
      `INSERT INTO control_results (declaration_id, outcome, irregularity, severity, revenue_recovered, notes, source, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'officer', $7)
       RETURNING id, outcome, irregularity, severity, revenue_recovered AS "revenueRecovered", notes, source, recorded_by AS "recordedBy", recorded_at AS "recordedAt"`,
      [declarationId, r.outcome, r.irregularity ?? null, severity, r.revenueRecovered ?? null, notes, actor],
    );
    if (!row) throw new Error('the control result was not stored');
    const appended = await declarationsRepository.appendEvent(
      tx,
      declarationId,
      EventKind.Controlled,
      actor,
      {
        outcome: r.outcome,
        resultId: row.id,
        ...(r.irregularity ? { irregularity: r.irregularity } : {}),
      },
    );
    if (!appended) throw new Error(`declaration ${declarationId} was locked for a control it then refused`);
    // the trader's control record that risk indicators read, after the ledger entry (the order in
    // which every writer takes its locks: capacity.ts); a declaration not yet assessed is
    // counted when it is (risk/indicators.ts, recordHistory)
    await tx.query(
      `INSERT INTO trader_history AS h (trader_id, controls, positives)
       SELECT trader_id, 1, $2 FROM declarations WHERE id = $1 AND lane IS NOT NULL
       ON CONFLICT (trader_id) DO UPDATE SET controls = h.controls + 1, positives = h.positives + EXCLUDED.positives`,
      [declarationId, r.outcome === 'non_compliant' ? 1 : 0],
    );
    return ok(row);
  });
}

export async function controlResultsOf(sql: Sql, declarationId: number): Promise<ControlResult[]> {
  return sql.query<ControlResult>(
    `SELECT id, outcome, irregularity, severity, revenue_recovered AS "revenueRecovered", notes, source, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
     FROM control_results WHERE declaration_id = $1 ORDER BY recorded_at, id`,
    [declarationId],
  );
}

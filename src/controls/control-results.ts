/**
 * Control results: what an officer found when controlling a declaration. A declaration has one
 * result in force: it is stored, moves the declaration to `controlled` with an event, and becomes
 * feedback for profiles' hit rates and the next model's training data. A supervisor of the office
 * may correct it with a reason; the corrected result is kept, superseded (ADR 0014).
 */
import type { Database, Sql } from '../db/database.ts';
import { allowedActions, EventKind, progressOf, whyNotAllowed } from '../declarations/lifecycle.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { worksAt, type Actor } from '../governance/roles.ts';
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
  /** ISO 4217; the declaration's currency when not given. */
  revenueCurrency?: string;
  seizure?: boolean;
  notes?: string;
}

export interface ControlResult {
  id: number;
  outcome: string;
  irregularity: string | null;
  severity: number;
  revenueRecovered: number | null;
  revenueCurrency: string | null;
  seizure: boolean;
  notes: string | null;
  source: string;
  recordedBy: string;
  recordedAt: string;
  /** When a correction replaced it (null: the result in force). */
  supersededAt: string | null;
  /** The result this one corrects, and why. */
  corrects: number | null;
  correctionReason: string | null;
}

export type ControlError =
  | { code: 'invalid_control_result'; message: string }
  | { code: 'version_conflict'; message: string }
  | { code: 'declaration_not_found' }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'control_result_exists'; message: string; existing: ControlResult }
  | { code: 'no_control_result'; message: string };

export function checkControlResult(r: ControlResultInput): string | null {
  if (r.outcome === 'non_compliant' && !r.irregularity)
    return 'a non-compliant result names the kind of irregularity';
  if (
    r.outcome === 'compliant' &&
    (r.irregularity || (r.revenueRecovered ?? 0) > 0 || r.seizure || (r.severity ?? 0) > 0)
  ) {
    return 'a compliant result has no irregularity, severity, revenue recovered or seizure';
  }
  if (r.revenueCurrency !== undefined && r.revenueRecovered === undefined)
    return 'a currency is given with the revenue recovered';
  return null;
}

const columns = `id, outcome, irregularity, severity, revenue_recovered::float8 AS "revenueRecovered",
  revenue_currency AS "revenueCurrency", seizure, notes, source,
  recorded_by AS "recordedBy", recorded_at AS "recordedAt", superseded_at AS "supersededAt", corrects,
  correction_reason AS "correctionReason"`;

/** The values a result is stored with: severity and notes follow from the input. */
function stored(r: ControlResultInput, declarationCurrency: string) {
  const severity =
    r.outcome === 'compliant'
      ? 0
      : Math.max(1, r.severity ?? (r.seizure || r.irregularity === Irregularity.ProhibitedGoods ? 2 : 1));
  const notes = [r.seizure ? 'goods seized' : '', r.notes?.trim() ?? ''].filter(Boolean).join('. ') || null;
  return {
    outcome: r.outcome,
    irregularity: r.irregularity ?? null,
    severity,
    revenueRecovered: r.revenueRecovered ?? null,
    revenueCurrency: r.revenueRecovered === undefined ? null : (r.revenueCurrency ?? declarationCurrency),
    seizure: r.outcome === 'non_compliant' && r.seizure === true,
    notes,
  };
}
type Stored = ReturnType<typeof stored>;

/** What a result says, for events and the ledger: its figures without notes. */
const summaryOf = (r: Pick<ControlResult, keyof Stored>) => ({
  outcome: r.outcome,
  irregularity: r.irregularity,
  severity: r.severity,
  revenueRecovered: r.revenueRecovered === null ? null : Number(r.revenueRecovered),
  revenueCurrency: r.revenueCurrency,
  seizure: r.seizure,
});

const insertResult = `INSERT INTO control_results
    (declaration_id, outcome, irregularity, severity, revenue_recovered, revenue_currency, seizure, notes, source, recorded_by, corrects, correction_reason)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'officer', $9, $10, $11)
  RETURNING ${columns}`;

/** Stores an officer's result, or a correction of result `corrects.id` for `corrects.why`. */
async function insertOfficerResult(
  tx: Sql,
  declarationId: number,
  v: Pick<
    ControlResult,
    'outcome' | 'irregularity' | 'severity' | 'revenueRecovered' | 'revenueCurrency' | 'seizure' | 'notes'
  >,
  actor: string,
  corrects: { id: number; why: string } | null,
): Promise<ControlResult | undefined> {
  const [row] = await tx.query<ControlResult>(insertResult, [
    declarationId,
    v.outcome,
    v.irregularity,
    v.severity,
    v.revenueRecovered,
    v.revenueCurrency,
    v.seizure,
    v.notes,
    actor,
    corrects?.id ?? null,
    corrects?.why ?? null,
  ]);
  return row;
}

/** The officer's result in force on a declaration, if it has one. */
async function inForce(sql: Sql, declarationId: number): Promise<ControlResult | undefined> {
  const [row] = await sql.query<ControlResult>(
    `SELECT ${columns} FROM control_results
     WHERE declaration_id = $1 AND source = 'officer' AND superseded_at IS NULL`,
    [declarationId],
  );
  return row;
}

const describe = (r: ControlResult) =>
  `#${r.id}, ${r.outcome.replace('_', '-')}${r.irregularity ? ` (${r.irregularity.replace('_', ' ')})` : ''}, recorded by ${r.recordedBy} at ${new Date(r.recordedAt).toISOString()}`;

/**
 * Records the result of a declaration the caller may control. Whether it may is decided under the
 * declaration's row lock, as assignment does, so a colleague taking the work first wins. A
 * declaration has one result: a second is refused, naming the first (a supervisor corrects it).
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
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [declarationId]);
    const d = await declarationsRepository.findById(tx, declarationId, { kind: 'all' });
    if (!d) return err({ code: 'declaration_not_found' as const });
    const v = stored(r, d.currency);
    const existing = worksAt(by, d.office) ? await inForce(tx, declarationId) : undefined;
    if (existing)
      return err({
        code: 'control_result_exists' as const,
        message: `declaration ${declarationId} already has a control result (${describe(existing)}); a supervisor of office ${d.office} may correct it`,
        existing,
      });
    if (!allowedActions(d, by).includes('record_control'))
      return err({ code: 'action_not_allowed' as const, message: whyNotAllowed(d, by, 'record_control') });
    const controllable = await declarationsRepository.lockFor(tx, declarationId, EventKind.Controlled);
    if (!controllable)
      return err({
        code: 'version_conflict' as const,
        message: `declaration ${declarationId} can no longer be controlled`,
      });
    const row = await insertOfficerResult(tx, declarationId, v, actor, null);
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
        ...(v.severity ? { severity: v.severity } : {}),
        ...(v.revenueRecovered !== null
          ? { revenueRecovered: v.revenueRecovered, revenueCurrency: v.revenueCurrency }
          : {}),
        ...(v.seizure ? { seizure: true } : {}),
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

/**
 * A supervisor of the declaration's office corrects its result, giving the reason. The result it
 * replaces stays, superseded, beside the correction; the event and the ledger entry hold both, and
 * every figure read from results (performance, statistics, training data, the trader's record)
 * reads the correction from now on.
 */
export async function correctControlResult(
  db: Database,
  declarationId: number,
  r: ControlResultInput,
  reason: string,
  by: Actor,
): Promise<Result<ControlResult, ControlError>> {
  const actor = by.username;
  const why = reason.trim();
  if (why.length < 3)
    return err({ code: 'invalid_control_result', message: 'give the reason for the correction' });
  const problem = checkControlResult(r);
  if (problem) return err({ code: 'invalid_control_result', message: problem });
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [declarationId]);
    const d = await declarationsRepository.findById(tx, declarationId, { kind: 'all' });
    if (!d) return err({ code: 'declaration_not_found' as const });
    const v = stored(r, d.currency);
    // a result is corrected after the release too: the stages say whether there is one
    const subject = { ...d, progress: progressOf(await declarationsRepository.events(tx, declarationId)) };
    if (!allowedActions(subject, by).includes('correct_control'))
      return err({
        code: 'action_not_allowed' as const,
        message: whyNotAllowed(subject, by, 'correct_control'),
      });
    const before = await inForce(tx, declarationId);
    if (!before)
      return err({
        code: 'no_control_result' as const,
        message: `declaration ${declarationId} has no control result recorded by an officer to correct`,
      });
    const same =
      before.outcome === v.outcome &&
      before.irregularity === v.irregularity &&
      before.severity === v.severity &&
      (before.revenueRecovered ?? null) === v.revenueRecovered &&
      before.revenueCurrency === v.revenueCurrency &&
      before.seizure === v.seizure &&
      (before.notes ?? null) === v.notes;
    if (same)
      return err({
        code: 'invalid_control_result' as const,
        message: `the correction is the same as result #${before.id}: nothing to correct`,
      });
    await tx.query('UPDATE control_results SET superseded_at = now() WHERE id = $1', [before.id]);
    const row = await insertOfficerResult(tx, declarationId, v, actor, { id: before.id, why });
    if (!row) throw new Error('the correction was not stored');
    const appended = await declarationsRepository.appendEvent(
      tx,
      declarationId,
      EventKind.ControlCorrected,
      actor,
      {
        resultId: row.id,
        corrects: before.id,
        reason: why,
        before: { ...summaryOf(before), recordedBy: before.recordedBy },
        after: summaryOf(row),
      },
    );
    if (!appended) throw new Error(`declaration ${declarationId} was allowed a correction it then refused`);
    // the trader's record counts the result in force: a control either way, a positive as corrected
    const delta = (v.outcome === 'non_compliant' ? 1 : 0) - (before.outcome === 'non_compliant' ? 1 : 0);
    if (delta !== 0)
      await tx.query(
        `UPDATE trader_history h SET positives = h.positives + $2
         FROM declarations d WHERE d.id = $1 AND d.lane IS NOT NULL AND h.trader_id = d.trader_id`,
        [declarationId, delta],
      );
    return ok(row);
  });
}

/** Every result of a declaration, superseded ones beside their corrections, oldest first. */
export async function controlResultsOf(sql: Sql, declarationId: number): Promise<ControlResult[]> {
  return sql.query<ControlResult>(
    `SELECT ${columns} FROM control_results WHERE declaration_id = $1 ORDER BY recorded_at, id`,
    [declarationId],
  );
}

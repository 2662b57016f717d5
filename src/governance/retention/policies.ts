/**
 * Retention policies: how long each class of data is kept, counted from a moment that belongs to
 * the class (a declaration's date, the time a note was recorded, ...). A policy is changed by an
 * administrator, recorded in the ledger, and refused when it would purge held data (ADR 0011).
 */
import type { Sql } from '../../db/database.ts';
import { SubjectKind } from '../ledger/entry.ts';
import { recordChange } from '../ledger/record.ts';
import { err, ok, type Result } from '../../shared/result.ts';

export const DataClass = {
  Declarations: 'declarations',
  ControlNotes: 'control-notes',
  Imports: 'imports',
  Sessions: 'sessions',
  Ledger: 'ledger',
} as const;
export type DataClass = (typeof DataClass)[keyof typeof DataClass];

export const dataClasses: readonly DataClass[] = Object.values(DataClass);

export const isDataClass = (value: string): value is DataClass =>
  (dataClasses as readonly string[]).includes(value);

/** What each class holds and when its clock starts; shown to administrators beside the period. */
export const classDescriptions: Record<DataClass, { holds: string; countedFrom: string }> = {
  declarations: {
    holds:
      'declarations with their items, events, risk assessments, profile hits, control results, agency findings and attached documents',
    countedFrom: "the declaration's date",
  },
  'control-notes': {
    holds: "officers' free-text notes on control results (the result itself stays with its declaration)",
    countedFrom: 'when the result was recorded',
  },
  imports: { holds: 'finished file imports and their rejected rows', countedFrom: 'when the import ended' },
  sessions: { holds: 'signed-in sessions (never a live one)', countedFrom: 'when the session expired' },
  ledger: {
    holds: 'the tamper-evident ledger',
    countedFrom: 'nothing: its entries are chained, so it is never purged',
  },
};

/** A period: a count of days, months or years, or forever. */
export type Period = { count: number; unit: 'd' | 'm' | 'y' } | 'forever';

const units = { d: 'day', m: 'month', y: 'year' } as const;

/** Parses '10y', '6m', '30d' or 'forever'; null when it is none of these. */
export function parsePeriod(text: string): Period | null {
  if (text === 'forever') return 'forever';
  const m = /^([1-9][0-9]{0,3})([dmy])$/.exec(text);
  if (!m) return null;
  const count = Number(m[1]);
  const unit = m[2] as 'd' | 'm' | 'y';
  // at most a century: a longer period is "forever" in all but name
  const days = count * { d: 1, m: 31, y: 366 }[unit];
  return days > 100 * 366 ? null : { count, unit };
}

export function describePeriod(p: Period): string {
  return p === 'forever' ? 'forever' : `${p.count} ${units[p.unit]}${p.count === 1 ? '' : 's'}`;
}

/** The moment before which data kept for `p` has expired at `now` (calendar arithmetic, UTC). */
export function cutoff(p: Period, now: Date): Date | null {
  if (p === 'forever') return null;
  const d = new Date(now);
  if (p.unit === 'd') d.setUTCDate(d.getUTCDate() - p.count);
  else if (p.unit === 'm') d.setUTCMonth(d.getUTCMonth() - p.count);
  else d.setUTCFullYear(d.getUTCFullYear() - p.count);
  return d;
}

export interface Policy {
  dataClass: DataClass;
  keep: string;
  period: string;
  holds: string;
  countedFrom: string;
  updatedBy: string;
  updatedAt: string;
}

export async function listPolicies(sql: Sql): Promise<Policy[]> {
  const rows = await sql.query<{ dataClass: string; keep: string; updatedBy: string; updatedAt: string }>(
    `SELECT data_class AS "dataClass", keep, updated_by AS "updatedBy", updated_at AS "updatedAt"
     FROM retention_policies`,
  );
  const byClass = new Map(rows.map((r) => [r.dataClass, r]));
  return dataClasses.flatMap((c) => {
    const r = byClass.get(c);
    const period = r && parsePeriod(r.keep);
    if (!r || !period) throw new Error(`the retention policy of ${c} is missing or unreadable`);
    return [{ ...r, dataClass: c, period: describePeriod(period), ...classDescriptions[c] }];
  });
}

export type PolicyError =
  | { code: 'invalid_retention'; message: string }
  | { code: 'retention_conflicts_with_hold'; message: string; declarations: number[] };

/** Held declarations whose data of `dataClass` is older than `at` (none when `at` is null: forever). */
export async function heldWithin(sql: Sql, dataClass: DataClass, at: Date | null): Promise<number[]> {
  if (at === null) return [];
  const rows =
    dataClass === DataClass.Declarations
      ? await sql.query<{ id: number }>(
          `SELECT d.id FROM legal_holds h JOIN declarations d ON d.id = h.declaration_id
           WHERE h.released_at IS NULL AND d.date < $1::date ORDER BY d.id`,
          [at.toISOString().slice(0, 10)],
        )
      : dataClass === DataClass.ControlNotes
        ? await sql.query<{ id: number }>(
            `SELECT DISTINCT c.declaration_id AS id FROM legal_holds h
             JOIN control_results c ON c.declaration_id = h.declaration_id
             WHERE h.released_at IS NULL AND c.notes IS NOT NULL AND c.recorded_at < $1 ORDER BY 1`,
            [at.toISOString()],
          )
        : [];
  return rows.map((r) => r.id);
}

/**
 * Sets how long a class is kept. Refused when the class is the ledger (kept forever), when the
 * period is unreadable, or when the new period would purge a declaration under legal hold that
 * the period in force keeps: release the hold first, so that doing so is on the record.
 */
export async function setPolicy(
  tx: Sql,
  dataClass: DataClass,
  keep: string,
  actor: string,
  now = new Date(),
): Promise<Result<Policy, PolicyError>> {
  const period = parsePeriod(keep);
  if (!period)
    return invalid(
      `"${keep}" is not a retention period: give a count and a unit, like 10y, 6m or 30d (at most 100 years), or forever`,
    );
  if (dataClass === DataClass.Ledger && period !== 'forever')
    return invalid(
      'the ledger is kept forever: its entries are chained, and purging any would break verification',
    );
  const [current] = await tx.query<{ keep: string }>(
    'SELECT keep FROM retention_policies WHERE data_class = $1 FOR UPDATE',
    [dataClass],
  );
  const before = new Set(
    await heldWithin(tx, dataClass, cutoff(parsePeriod(current?.keep ?? '') ?? 'forever', now)),
  );
  const newlyDue = (await heldWithin(tx, dataClass, cutoff(period, now))).filter((id) => !before.has(id));
  if (newlyDue.length > 0) {
    const shown = newlyDue.slice(0, 10).join(', ') + (newlyDue.length > 10 ? ', ...' : '');
    return err({
      code: 'retention_conflicts_with_hold',
      message:
        `keeping ${dataClass} for ${describePeriod(period)} would purge ${newlyDue.length} declaration` +
        `${newlyDue.length === 1 ? '' : 's'} under legal hold (${shown}); release the holds or keep them longer`,
      declarations: newlyDue,
    });
  }
  await tx.query(
    `UPDATE retention_policies SET keep = $2, updated_by = $3, updated_at = $4 WHERE data_class = $1`,
    [dataClass, keep, actor, now.toISOString()],
  );
  await recordChange(tx, {
    actor,
    action: 'retention.policy_set',
    subjectKind: SubjectKind.RetentionPolicy,
    subjectId: dataClass,
    data: { keep, previous: current?.keep ?? null },
  });
  const policy = (await listPolicies(tx)).find((p) => p.dataClass === dataClass);
  if (!policy) throw new Error(`the retention policy of ${dataClass} vanished`);
  return ok(policy);
}

const invalid = (message: string) => err({ code: 'invalid_retention' as const, message });

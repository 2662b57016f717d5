/**
 * Stored alerts and what analysts do with them: acknowledge or dismiss with a reason (kept as
 * feedback, on the ledger), each one conditional UPDATE on the state it expects.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { AlertKind } from './codes.ts';
import type { MonitorPeriod } from './series-key.ts';

export { AlertState, alertStates } from './codes.ts';
import { AlertState } from './codes.ts';

export interface StoredAlert {
  id: number;
  kind: AlertKind;
  period: MonitorPeriod;
  periodStart: string;
  series: string;
  measure: string;
  currency: string | null;
  size: number;
  explanation: string;
  facts: Record<string, string | number | null>;
  runId: number;
  createdAt: string;
  state: AlertState;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  profileId: number | null;
}

export type AlertError =
  { code: 'alert_not_found'; message: string } | { code: 'action_not_allowed'; message: string };

const select = `SELECT id, kind, period, period_start AS "periodStart", series_key AS series, measure, currency,
    size, explanation, facts, run_id AS "runId", created_at AS "createdAt", state, decided_by AS "decidedBy",
    decided_at AS "decidedAt", reason, profile_id AS "profileId"
  FROM monitoring_alerts`;

export interface AlertFilter {
  state?: AlertState;
  kind?: AlertKind;
  period?: MonitorPeriod;
  limit: number;
}

/** Alerts largest first (the value at stake), then newest. */
export async function listAlerts(sql: Sql, f: AlertFilter): Promise<StoredAlert[]> {
  return sql.query<StoredAlert>(
    `${select} WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)
       AND ($3::text IS NULL OR period = $3)
     ORDER BY size DESC, id DESC LIMIT $4`,
    [f.state ?? null, f.kind ?? null, f.period ?? null, f.limit],
  );
}

export async function findAlert(sql: Sql, id: number, lock = false): Promise<StoredAlert | undefined> {
  const [row] = await sql.query<StoredAlert>(`${select} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row;
}

/** What an analyst may do with an alert. */
export function alertActions(a: StoredAlert, analyst: boolean): string[] {
  if (!analyst) return [];
  const actions: string[] = [];
  if (a.state === AlertState.Open) actions.push('acknowledge');
  if (a.state !== AlertState.Dismissed) actions.push('dismiss');
  if (a.profileId === null && a.state !== AlertState.Dismissed) actions.push('profile');
  return actions;
}

const from: Record<'acknowledge' | 'dismiss', AlertState[]> = {
  acknowledge: [AlertState.Open],
  dismiss: [AlertState.Open, AlertState.Acknowledged],
};

/** Acknowledges (from open) or dismisses (from open or acknowledged) an alert, with the reason. */
export async function decideAlert(
  db: Database,
  id: number,
  action: 'acknowledge' | 'dismiss',
  actor: string,
  reason: string,
): Promise<Result<StoredAlert, AlertError>> {
  const state = action === 'acknowledge' ? AlertState.Acknowledged : AlertState.Dismissed;
  const done = await db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number }>(
      `UPDATE monitoring_alerts SET state = $2, decided_by = $3, decided_at = now(), reason = $4
       WHERE id = $1 AND state = ANY($5::text[]) RETURNING id`,
      [id, state, actor, reason, from[action]],
    );
    if (rows.length > 0)
      await recordChange(tx, {
        actor,
        action: `monitoring.alert.${state}`,
        subjectKind: SubjectKind.MonitoringAlert,
        subjectId: String(id),
        data: { reason },
      });
    return rows.length > 0;
  });
  const found = await findAlert(db, id);
  if (!found) return err({ code: 'alert_not_found', message: `no monitoring alert ${id}` });
  if (!done)
    return err({
      code: 'action_not_allowed',
      message: `alert ${id} is ${found.state}: only ${from[action].join(' or ')} alerts can be ${state}`,
    });
  return ok(found);
}

/**
 * What a declaration owes and what was done about it: its duty per item and in total (by the one
 * rule of duties.ts, from the items as they stand), what was paid and guaranteed (from its `paid`
 * and `guaranteed` events), what is still due, and the revenue its control results recovered. Nothing
 * of this is stored apart from the events: it is computed when read.
 */
import type { Sql } from '../db/database.ts';
import { EventKind, type DeclarationEvent } from '../declarations/lifecycle.ts';
import type { Declaration } from '../declarations/model.ts';
import { declarationDuty, itemDuty } from './duties.ts';

export interface DutyAccount {
  currency: string;
  /** Each item's duty, in the declaration's currency. */
  items: { sequence: number; hsCode: string; value: number; dutyRate: number | null; duty: number }[];
  duty: number;
  paid: number;
  guaranteed: number;
  /** What is neither paid nor guaranteed (never below zero). */
  due: number;
  /** What control results in force recovered, per currency. */
  revenueRecovered: { amount: number; currency: string }[];
}

const cents = (x: number) => Math.round(x * 100);

/** The sum of the amounts of the events of one kind, to cents. */
function total(events: readonly DeclarationEvent[], kind: EventKind): number {
  const sum = events
    .filter((e) => e.kind === kind)
    .reduce((n, e) => n + cents(Number(e.data?.amount ?? 0)), 0);
  return sum / 100;
}

/** The duty account of a declaration from its items and events (revenue recovered given apart). */
export function accountOf(
  d: Pick<Declaration, 'type' | 'items' | 'currency'>,
  events: readonly DeclarationEvent[],
  revenueRecovered: DutyAccount['revenueRecovered'] = [],
): DutyAccount {
  const { amount: duty, currency } = declarationDuty(d);
  const paid = total(events, EventKind.Paid);
  const guaranteed = total(events, EventKind.Guaranteed);
  return {
    currency,
    items: d.items.map((item) => ({
      sequence: item.sequence,
      hsCode: item.hsCode,
      value: item.value,
      dutyRate: item.dutyRate ?? null,
      duty: itemDuty(item, d.type),
    })),
    duty,
    paid,
    guaranteed,
    due: Math.max(0, cents(duty) - cents(paid) - cents(guaranteed)) / 100,
    revenueRecovered,
  };
}

/** The revenue the control results in force of a declaration recovered, per currency. */
export async function revenueRecoveredOf(sql: Sql, id: number): Promise<DutyAccount['revenueRecovered']> {
  return sql.query<{ amount: number; currency: string }>(
    `SELECT sum(revenue_recovered)::float8 AS amount, revenue_currency AS currency FROM control_results
     WHERE declaration_id = $1 AND superseded_at IS NULL AND revenue_recovered IS NOT NULL
     GROUP BY revenue_currency ORDER BY revenue_currency`,
    [id],
  );
}

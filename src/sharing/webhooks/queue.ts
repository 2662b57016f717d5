/**
 * What the webhook sender sends: for each agreement in force delivered by webhook (or both), the
 * declarations it covers (coverage.ts) become messages of up to `perMessage` declarations, each
 * reduced to the granted fields (projection.ts), as the Standard Webhooks payload
 * `{type, timestamp, data}`. Declarations are considered in id order above the agreement's floor;
 * the ones queued are remembered, so a declaration whose transaction committed after a later one
 * was queued is still sent, and the floor rises only past declarations stored longer ago than
 * `settleSeconds` (no transaction stays open that long). One process at a time queues an
 * agreement (a transaction-level advisory lock), so a fleet of servers queues each once.
 */
import type { Database, Sql } from '../../db/database.ts';
import { declarationsRepository } from '../../declarations/repository.ts';
import { pseudonymiser, type KeyError } from '../../governance/pseudonyms.ts';
import type { Result } from '../../shared/result.ts';
import { coveredCondition, windowWithin } from '../coverage.ts';
import { agreementOf, SharingLevel, whyNotInForce, type SharingAgreement } from '../in-force.ts';
import { releaseLabelOf } from '../agreements.ts';
import { project } from '../projection.ts';
import { newMessageId, queueMessage } from './messages.ts';
import { newSecret } from './signature.ts';

/** The event type of a message carrying declarations shared under an agreement. */
export const sharedEventType = 'declarations.shared';

export interface QueueOptions {
  today: string;
  pseudonymKey: () => Promise<Result<Buffer, KeyError>>;
  perMessage?: number;
  /** The most messages queued for one agreement in one round. */
  messagesPerRound?: number;
  settleSeconds?: number;
  now?: () => Date;
}

/** The agreements delivered by webhook that are active: the candidates of a round. */
async function webhookAgreements(sql: Sql): Promise<{ id: number; agency: string }[]> {
  const rows = await sql.query<{ id: number; agency: string }>(
    `SELECT id, agency FROM sharing_agreements
     WHERE status = 'active' AND delivery IN ('webhook', 'both') AND level <> 'aggregated' ORDER BY id`,
  );
  return rows.map((r) => ({ id: Number(r.id), agency: r.agency }));
}

/** Queues what every agreement's webhook has not yet had; returns how many messages were queued. */
export async function queueCovered(db: Database, options: QueueOptions): Promise<number> {
  let queued = 0;
  for (const { id, agency } of await webhookAgreements(db)) {
    const agreement = await agreementOf(db, agency, id);
    if (!agreement || whyNotInForce(agreement, options.today) !== null) continue;
    let pseudonymise: ((id: string) => string) | undefined;
    if (agreement.level === SharingLevel.Pseudonymised) {
      const key = await options.pseudonymKey();
      if (!key.ok) throw new Error(`agreement ${id} is pseudonymised, but ${key.error.message}`);
      pseudonymise = pseudonymiser(key.value, releaseLabelOf(id));
    }
    for (let round = 0; round < (options.messagesPerRound ?? 50); round++) {
      const n = await db.transaction((tx) => queueOne(tx, agreement, options, pseudonymise));
      if (n === null) break;
      queued += n;
    }
  }
  return queued;
}

/**
 * One message for the agreement, in one transaction: null when another process holds it or
 * nothing is left (the floor raised as far as it may), else the messages queued (0 or 1).
 */
async function queueOne(
  tx: Sql,
  agreement: SharingAgreement,
  options: QueueOptions,
  pseudonymise: ((id: string) => string) | undefined,
): Promise<number | null> {
  const [lock] = await tx.query<{ held: boolean }>(
    "SELECT pg_try_advisory_xact_lock(hashtext('sharing_webhook'), $1::int) AS held",
    [agreement.id],
  );
  if (!lock?.held) return null;
  await tx.query(
    'INSERT INTO sharing_webhooks (agreement_id, secret) VALUES ($1, $2) ON CONFLICT (agreement_id) DO NOTHING',
    [agreement.id, newSecret()],
  );
  const [state] = await tx.query<{ floor: number }>(
    'SELECT floor_declaration AS floor FROM sharing_webhooks WHERE agreement_id = $1 FOR UPDATE',
    [agreement.id],
  );
  const floor = Number(state?.floor ?? 0);
  const window = windowWithin(agreement, undefined, undefined);
  const perMessage = options.perMessage ?? 100;
  let ids: number[] = [];
  if (window) {
    const params: unknown[] = [floor, perMessage, agreement.id];
    const rows = await tx.query<{ id: number }>(
      `SELECT d.id FROM declarations d
       WHERE d.id > $1 AND ${coveredCondition(agreement, window, params)}
         AND NOT EXISTS (SELECT 1 FROM sharing_webhook_queued q WHERE q.agreement_id = $3 AND q.declaration_id = d.id)
       ORDER BY d.id LIMIT $2`,
      params,
    );
    ids = rows.map((r) => Number(r.id));
  }
  // the floor rises past what has settled, but never past a covered declaration not yet queued
  const [settled] = await tx.query<{ max: number | null }>(
    `SELECT max(id) AS max FROM declarations
     WHERE id > $1 AND lodged_at < now() - make_interval(secs => $2)`,
    [floor, options.settleSeconds ?? 600],
  );
  let newFloor = Number(settled?.max ?? floor);
  if (ids.length === perMessage) newFloor = Math.min(newFloor, ids.at(-1) ?? floor);
  newFloor = Math.max(floor, newFloor);
  if (ids.length > 0) {
    const inputs = await declarationsRepository.findInputs(tx, ids);
    const declarations = ids.flatMap((id) => {
      const input = inputs.get(id);
      return input ? [project({ ...input, id }, agreement, pseudonymise)] : [];
    });
    const now = (options.now ?? (() => new Date()))();
    const body = JSON.stringify({
      type: sharedEventType,
      timestamp: now.toISOString(),
      data: { agreement: agreement.id, agency: agreement.agency, level: agreement.level, declarations },
    });
    await queueMessage(tx, {
      id: newMessageId(),
      agreementId: agreement.id,
      agency: agreement.agency,
      declarationIds: ids,
      fields: [...agreement.fields],
      body,
    });
    await tx.query(
      `INSERT INTO sharing_webhook_queued (agreement_id, declaration_id) SELECT $1, unnest($2::int8[])`,
      [agreement.id, ids],
    );
  }
  if (newFloor > floor) {
    await tx.query('UPDATE sharing_webhooks SET floor_declaration = $2 WHERE agreement_id = $1', [
      agreement.id,
      newFloor,
    ]);
    // what is at or below the floor is never looked at again
    await tx.query('DELETE FROM sharing_webhook_queued WHERE agreement_id = $1 AND declaration_id <= $2', [
      agreement.id,
      newFloor,
    ]);
  }
  if (ids.length === 0) return null;
  return 1;
}

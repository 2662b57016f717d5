/**
 * Every delivery to a partner agency: the delivery row (agreement, agency, channel, fields, how many
 * declarations, who), the declarations it held, and its ledger entry, in the caller's transaction.
 * The feed records each page before it serves it; the webhook sender records each message when its
 * receiver acknowledges it (ADR 0033).
 */
import type { Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import type { DeliveryChannel } from './in-force.ts';

export interface NewDelivery {
  agreementId: number;
  agency: string;
  channel: DeliveryChannel;
  /** The field paths the delivery held (the agreement's grant). */
  fields: readonly string[];
  declarationIds: readonly number[];
  /** The user who read a feed page, or the system sending a webhook message. */
  actor: string;
}

/** Records a delivery in `tx` (which must be a transaction); returns its id. */
export async function recordDelivery(tx: Sql, d: NewDelivery): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO sharing_deliveries (agreement_id, agency, channel, fields, declarations, actor)
     VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING id`,
    [d.agreementId, d.agency, d.channel, d.fields, d.declarationIds.length, d.actor],
  );
  if (!row) throw new Error('the delivery was not stored');
  const id = Number(row.id);
  if (d.declarationIds.length > 0)
    await tx.query(
      `INSERT INTO sharing_delivery_declarations (delivery_id, declaration_id)
       SELECT $1, unnest($2::bigint[])`,
      [id, d.declarationIds],
    );
  await recordChange(tx, {
    actor: d.actor,
    action: 'sharing.delivered',
    subjectKind: SubjectKind.SharingDelivery,
    subjectId: String(id),
    data: {
      agreement: d.agreementId,
      agency: d.agency,
      channel: d.channel,
      fields: [...d.fields],
      declarations: d.declarationIds.length,
    },
  });
  return id;
}

/**
 * Who received what: an agency's access log (its deliveries, newest first) and, for traders and
 * declarants, which agencies received their declarations. Both page by keyset; the recipients are
 * scoped as every declaration read is (declarations/scope.ts).
 */
import type { Sql } from '../db/database.ts';
import { scopeCondition, type Scope } from '../declarations/scope.ts';
import type { DeliveryChannel } from './in-force.ts';

export interface DeliveryEntry {
  id: number;
  agreementId: number;
  agency: string;
  channel: DeliveryChannel;
  fields: string[];
  declarations: number;
  actor: string;
  deliveredAt: string;
}

interface DeliveryRow {
  id: number;
  agreement_id: number;
  agency: string;
  channel: DeliveryChannel;
  fields: string[];
  declarations: number;
  actor: string;
  delivered_at: string;
}

/** Deliveries newest first, of one agency or (agency undefined) of all, before a delivery id. */
export async function accessLog(
  sql: Sql,
  f: { agency?: string; before?: number; limit: number },
): Promise<{ items: DeliveryEntry[]; nextBefore: number | null }> {
  const params: unknown[] = [f.limit + 1];
  const where: string[] = [];
  if (f.agency !== undefined) {
    params.push(f.agency);
    where.push(`agency = $${params.length}`);
  }
  if (f.before !== undefined) {
    params.push(f.before);
    where.push(`id < $${params.length}`);
  }
  const rows = await sql.query<DeliveryRow>(
    `SELECT id, agreement_id, agency, channel, fields, declarations, actor, delivered_at
     FROM sharing_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT $1`,
    params,
  );
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      agreementId: Number(r.agreement_id),
      agency: r.agency,
      channel: r.channel,
      fields: r.fields,
      declarations: r.declarations,
      actor: r.actor,
      deliveredAt: r.delivered_at,
    })),
    nextBefore: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export interface Recipient {
  declarationId: number;
  functionalReference: string;
  agency: string;
  agencyName: string;
  agreementId: number;
  purpose: string;
  channel: DeliveryChannel;
  deliveredAt: string;
  deliveryId: number;
}

interface RecipientRow {
  declaration_id: number;
  functional_reference: string;
  agency: string;
  agency_name: string;
  agreement_id: number;
  purpose: string;
  channel: DeliveryChannel;
  delivered_at: string;
  delivery_id: number;
}

/** The keyset of the recipients' pages: the last delivery and declaration of the previous one. */
export interface RecipientsPosition {
  deliveryId: number;
  declarationId: number;
}

/**
 * Which agencies received the declarations the scope may see, newest delivery first; of one
 * declaration when `declarationId` is given.
 */
export async function recipients(
  sql: Sql,
  f: { scope: Scope; declarationId?: number; before?: RecipientsPosition; limit: number },
): Promise<{ items: Recipient[]; next: RecipientsPosition | null }> {
  const params: unknown[] = [f.limit + 1];
  const where = [scopeCondition(f.scope, params)];
  if (f.declarationId !== undefined) {
    params.push(f.declarationId);
    where.push(`dd.declaration_id = $${params.length}`);
  }
  if (f.before !== undefined) {
    params.push(f.before.deliveryId, f.before.declarationId);
    where.push(`(dd.delivery_id, dd.declaration_id) < ($${params.length - 1}, $${params.length})`);
  }
  const rows = await sql.query<RecipientRow>(
    `SELECT dd.declaration_id, d.functional_reference, s.agency, g.name AS agency_name, s.agreement_id,
            a.purpose, s.channel, s.delivered_at, dd.delivery_id
     FROM sharing_delivery_declarations dd
     JOIN declarations d ON d.id = dd.declaration_id
     JOIN sharing_deliveries s ON s.id = dd.delivery_id
     JOIN sharing_agreements a ON a.id = s.agreement_id
     JOIN agencies g ON g.code = s.agency
     WHERE ${where.join(' AND ')}
     ORDER BY dd.delivery_id DESC, dd.declaration_id DESC LIMIT $1`,
    params,
  );
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      declarationId: Number(r.declaration_id),
      functionalReference: r.functional_reference,
      agency: r.agency,
      agencyName: r.agency_name,
      agreementId: Number(r.agreement_id),
      purpose: r.purpose,
      channel: r.channel,
      deliveredAt: r.delivered_at,
      deliveryId: Number(r.delivery_id),
    })),
    next:
      rows.length > f.limit && last
        ? { deliveryId: Number(last.delivery_id), declarationId: Number(last.declaration_id) }
        : null,
  };
}

/** Whether the scope may see the declaration. */
export async function isVisible(sql: Sql, id: number, scope: Scope): Promise<boolean> {
  const params: unknown[] = [id];
  const rows = await sql.query(
    `SELECT 1 FROM declarations d WHERE d.id = $1 AND ${scopeCondition(scope, params)}`,
    params,
  );
  return rows.length > 0;
}

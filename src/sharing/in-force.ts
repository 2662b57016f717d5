/**
 * The data-sharing agreements of an agency as the feed reads them: the ones in force on a day (status
 * active and the day within valid_from..valid_to), and one agreement of the agency whatever its state,
 * so that a refusal can say why it is not in force.
 */
import type { Sql } from '../db/database.ts';

export const SharingLevel = {
  Identified: 'identified',
  Pseudonymised: 'pseudonymised',
  Aggregated: 'aggregated',
} as const;
export type SharingLevel = (typeof SharingLevel)[keyof typeof SharingLevel];

export const DeliveryChannel = { Feed: 'feed', Webhook: 'webhook' } as const;
export type DeliveryChannel = (typeof DeliveryChannel)[keyof typeof DeliveryChannel];

export type AgreementDelivery = DeliveryChannel | 'both';
export type AgreementStatus = 'draft' | 'active' | 'rejected' | 'suspended' | 'revoked';

/** An agreement as sharing reads it: who receives what, about which declarations, and when. */
export interface SharingAgreement {
  id: number;
  agency: string;
  purpose: string;
  /** The data dictionary's field paths granted (declarations/catalog.ts), e.g. `items[].hsCode`. */
  fields: readonly string[];
  /** The declarations covered; an empty list does not restrict its dimension. */
  hsPrefixes: readonly string[];
  procedures: readonly string[];
  offices: readonly string[];
  declarationTypes: readonly string[];
  level: SharingLevel;
  delivery: AgreementDelivery;
  webhookUrl: string | null;
  /** Inclusive days, YYYY-MM-DD. */
  validFrom: string;
  validTo: string;
  status: AgreementStatus;
}

interface AgreementRow {
  id: number;
  agency: string;
  purpose: string;
  fields: string[];
  hs_prefixes: string[];
  procedures: string[];
  offices: string[];
  declaration_types: string[];
  level: SharingLevel;
  delivery: AgreementDelivery;
  webhook_url: string | null;
  valid_from: string;
  valid_to: string;
  status: AgreementStatus;
}

const columns = `id, agency, purpose, fields, hs_prefixes, procedures, offices, declaration_types, level,
  delivery, webhook_url, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
  status`;

const fromRow = (r: AgreementRow): SharingAgreement => ({
  id: Number(r.id),
  agency: r.agency,
  purpose: r.purpose,
  fields: r.fields,
  hsPrefixes: r.hs_prefixes,
  procedures: r.procedures,
  offices: r.offices,
  declarationTypes: r.declaration_types,
  level: r.level,
  delivery: r.delivery,
  webhookUrl: r.webhook_url,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  status: r.status,
});

/** The agreements of `agency` in force on `day` (YYYY-MM-DD), oldest first. */
export async function agreementsInForce(sql: Sql, agency: string, day: string): Promise<SharingAgreement[]> {
  const rows = await sql.query<AgreementRow>(
    `SELECT ${columns} FROM sharing_agreements
     WHERE agency = $1 AND status = 'active' AND valid_from <= $2::date AND valid_to >= $2::date
     ORDER BY id`,
    [agency, day],
  );
  return rows.map(fromRow);
}

/** One agreement of `agency`, in whatever state; undefined when it has none with this id. */
export async function agreementOf(
  sql: Sql,
  agency: string,
  id: number,
): Promise<SharingAgreement | undefined> {
  const [row] = await sql.query<AgreementRow>(
    `SELECT ${columns} FROM sharing_agreements WHERE agency = $1 AND id = $2`,
    [agency, id],
  );
  return row ? fromRow(row) : undefined;
}

/** Why an agreement is not in force on `day`, in words; null when it is. */
export function whyNotInForce(a: SharingAgreement, day: string): string | null {
  if (a.status !== 'active') return `agreement ${a.id} is ${a.status}, not in force`;
  if (day < a.validFrom) return `agreement ${a.id} comes into force on ${a.validFrom}`;
  if (day > a.validTo) return `agreement ${a.id} expired on ${a.validTo}`;
  return null;
}

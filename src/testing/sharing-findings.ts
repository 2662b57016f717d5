/**
 * What tests of agency findings start from: a registered partner agency, an agreement in force for
 * it, and a delivery of declarations to it (as the feed records one), written as rows.
 */
import type { Sql } from '../db/database.ts';

/** Registers agency `code` (its users have it as their party). */
export async function anAgency(sql: Sql, code: string, name = `Agency ${code}`): Promise<void> {
  await sql.query(
    `INSERT INTO agencies (code, name, contact, created_by) VALUES ($1, $2, $3, 'administrator')
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, contact = EXCLUDED.contact`,
    [code, name, `findings@${code.toLowerCase()}.example`],
  );
}

/** Records that `agency` received `declarationIds` through its feed, under an active agreement of its own. */
export async function delivered(
  sql: Sql,
  agency: string,
  declarationIds: readonly number[],
): Promise<number> {
  const [agreement] = await sql.query<{ id: number }>(
    `INSERT INTO sharing_agreements (agency, purpose, legal_basis, fields, level, delivery, valid_from,
       valid_to, status, drafted_by, decided_by, decided_at)
     VALUES ($1, 'sanitary controls', 'Food Safety Act, s. 12', ARRAY['items[].hsCode'], 'identified',
       'feed', '2020-01-01', '2099-12-31', 'active', 'administrator', 'administrator-2', now())
     RETURNING id::int8 AS id`,
    [agency],
  );
  if (!agreement) throw new Error('the agreement was not stored');
  const [delivery] = await sql.query<{ id: number }>(
    `INSERT INTO sharing_deliveries (agreement_id, agency, channel, fields, declarations, actor)
     VALUES ($1, $2, 'feed', ARRAY['items[].hsCode'], $3, $4) RETURNING id::int8 AS id`,
    [agreement.id, agency, declarationIds.length, `${agency.toLowerCase()}-feed`],
  );
  if (!delivery) throw new Error('the delivery was not stored');
  await sql.query(
    `INSERT INTO sharing_delivery_declarations (delivery_id, declaration_id)
     SELECT $1, unnest($2::int8[])`,
    [delivery.id, declarationIds],
  );
  return delivery.id;
}

/**
 * Data sharing for tests: an agency, an agreement row in force (written straight into the table, as
 * the agreements service would leave it once approved), a partner agency user of the agency, and
 * declarations stored straight in their tables with a chosen status.
 */
import type { AppContext } from '../app-context.ts';
import type { Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import {
  headerContentColumns,
  headerContentValues,
  itemColumns,
  itemContentValues,
} from '../declarations/rows.ts';
import { Role } from '../governance/roles.ts';
import { createUserToken } from './harness.ts';

export async function createAgency(sql: Sql, code: string, name = `Agency ${code}`): Promise<void> {
  await sql.query(`INSERT INTO agencies (code, name, contact, created_by) VALUES ($1, $2, $3, 'test')`, [
    code,
    name,
    `data@${code.toLowerCase()}.example`,
  ]);
}

export interface TestAgreement {
  agency: string;
  fields: readonly string[];
  purpose?: string;
  hsPrefixes?: readonly string[];
  procedures?: readonly string[];
  offices?: readonly string[];
  declarationTypes?: readonly string[];
  level?: 'identified' | 'pseudonymised' | 'aggregated';
  delivery?: 'feed' | 'webhook' | 'both';
  validFrom?: string;
  validTo?: string;
  status?: 'draft' | 'active' | 'rejected' | 'suspended' | 'revoked';
}

/** Inserts an agreement (active, feed, identified, 2020 to 2099 unless told); returns its id. */
export async function insertAgreement(sql: Sql, a: TestAgreement): Promise<number> {
  const delivery = a.delivery ?? 'feed';
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO sharing_agreements (agency, purpose, legal_basis, fields, hs_prefixes, procedures, offices,
       declaration_types, level, delivery, webhook_url, valid_from, valid_to, status, drafted_by, decided_by, decided_at)
     VALUES ($1, $2, 'Act 12 s. 4', $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8, $9, $10,
       $11::date, $12::date, $13, 'test', 'test', now())
     RETURNING id`,
    [
      a.agency,
      a.purpose ?? `Monitoring for ${a.agency}`,
      a.fields,
      a.hsPrefixes ?? [],
      a.procedures ?? [],
      a.offices ?? [],
      a.declarationTypes ?? [],
      a.level ?? 'identified',
      delivery,
      delivery === 'feed' ? null : 'https://agency.example/hook',
      a.validFrom ?? '2020-01-01',
      a.validTo ?? '2099-12-31',
      a.status ?? 'active',
    ],
  );
  if (!row) throw new Error('the agreement was not stored');
  return Number(row.id);
}

/** Changes an agreement's status (a suspension or revocation) or its last day. */
export async function changeAgreement(
  sql: Sql,
  id: number,
  change: { status?: TestAgreement['status']; validTo?: string },
): Promise<void> {
  await sql.query(
    `UPDATE sharing_agreements SET status = coalesce($2, status), valid_to = coalesce($3::date, valid_to),
       valid_from = least(valid_from, coalesce($3::date, valid_to)) WHERE id = $1`,
    [id, change.status ?? null, change.validTo ?? null],
  );
}

/** A partner agency user of the agency (party_id = its code); returns an API token of it. */
export const createAgencyUser = (ctx: AppContext, username: string, agency: string | null): Promise<string> =>
  createUserToken(ctx, { username, role: Role.PartnerAgency, ...(agency ? { partyId: agency } : {}) });

/** Stores a declaration straight in its tables with the given status; returns its id. */
export async function storeDeclaration(sql: Sql, d: DeclarationInput, status = 'accepted'): Promise<number> {
  const header = headerContentColumns.map((_, i) => `$${i + 1}`);
  const n = header.length;
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO declarations (id, ${headerContentColumns.join(', ')}, status, content_hash, findings, source, lodged_by)
     VALUES (nextval('declaration_id_seq'), ${header.join(', ')}, $${n + 1}, 'test', '[]'::jsonb, 'test', 'test')
     RETURNING id`,
    [...headerContentValues(d).map((v) => v ?? null), status],
  );
  if (!row) throw new Error('the declaration was not stored');
  const id = Number(row.id);
  for (const item of d.items) {
    const values = [id, ...itemContentValues(item).map((v) => v ?? null)];
    await sql.query(
      `INSERT INTO declaration_items (${itemColumns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
  }
  return id;
}

/**
 * Partner agencies (health, agriculture, standards, tax, the statistics office): the parties that
 * receive customs data under data-sharing agreements. Administrators add and change them, each
 * change on the ledger in its transaction. A partner agency user belongs to the agency whose code
 * is its party (users.party_id).
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';

export interface Agency {
  code: string;
  name: string;
  contact: string;
  createdBy: string;
  createdAt: string;
}

export type AgencyError =
  | { code: 'invalid_agency'; message: string; field: 'code' | 'name' | 'contact' }
  | { code: 'agency_exists'; message: string }
  | { code: 'agency_not_found'; message: string };

/** As the agencies table's CHECK: 2 to 20 capitals, digits, `_` or `-`, starting with a capital or digit. */
export const agencyCodePattern = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;
export const agencyCodeText = '2 to 20 capital letters, digits, _ or -, starting with a letter or digit';
export const agencyTextMax = 200;

const columns = `code, name, contact, created_by AS "createdBy", created_at AS "createdAt"`;

export function listAgencies(sql: Sql): Promise<Agency[]> {
  return sql.query<Agency>(`SELECT ${columns} FROM agencies ORDER BY code`);
}

export async function findAgency(sql: Sql, code: string): Promise<Agency | undefined> {
  const [row] = await sql.query<Agency>(`SELECT ${columns} FROM agencies WHERE code = $1`, [code]);
  return row;
}

function textProblem(field: 'name' | 'contact', value: string): AgencyError | null {
  if (value.trim() === '') return { code: 'invalid_agency', field, message: `${field} must not be empty` };
  if (value.length > agencyTextMax)
    return { code: 'invalid_agency', field, message: `${field}: at most ${agencyTextMax} characters` };
  return null;
}

/** Adds an agency; `by` is the administrator, for the ledger. */
export async function createAgency(
  db: Database,
  a: { code: string; name: string; contact: string },
  by: string,
): Promise<Result<Agency, AgencyError>> {
  if (!agencyCodePattern.test(a.code))
    return err({
      code: 'invalid_agency',
      field: 'code',
      message: `code: ${agencyCodeText}, got "${a.code.slice(0, 30)}"`,
    });
  const problem = textProblem('name', a.name) ?? textProblem('contact', a.contact);
  if (problem) return err(problem);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Agency>(
      `INSERT INTO agencies (code, name, contact, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO NOTHING RETURNING ${columns}`,
      [a.code, a.name.trim(), a.contact.trim(), by],
    );
    if (!row) return err({ code: 'agency_exists', message: `agency ${a.code} exists already` });
    await recordChange(tx, {
      actor: by,
      action: 'agency.created',
      subjectKind: SubjectKind.Agency,
      subjectId: row.code,
      data: { name: row.name, contact: row.contact },
    });
    return ok(row);
  });
}

/** Changes an agency's name or contact; the ledger keeps what they were. */
export async function updateAgency(
  db: Database,
  code: string,
  change: { name?: string; contact?: string },
  by: string,
): Promise<Result<Agency, AgencyError>> {
  const problem =
    (change.name === undefined ? null : textProblem('name', change.name)) ??
    (change.contact === undefined ? null : textProblem('contact', change.contact));
  if (problem) return err(problem);
  return db.transaction(async (tx) => {
    const [before] = await tx.query<Agency>(`SELECT ${columns} FROM agencies WHERE code = $1 FOR UPDATE`, [
      code,
    ]);
    if (!before) return err({ code: 'agency_not_found', message: `no agency ${code}` });
    const name = change.name?.trim() ?? before.name;
    const contact = change.contact?.trim() ?? before.contact;
    const [after] = await tx.query<Agency>(
      `UPDATE agencies SET name = $2, contact = $3 WHERE code = $1 RETURNING ${columns}`,
      [code, name, contact],
    );
    if (!after) throw new Error(`agency ${code} vanished under its row lock`);
    if (name !== before.name || contact !== before.contact)
      await recordChange(tx, {
        actor: by,
        action: 'agency.changed',
        subjectKind: SubjectKind.Agency,
        subjectId: code,
        data: { before: { name: before.name, contact: before.contact }, after: { name, contact } },
      });
    return ok(after);
  });
}

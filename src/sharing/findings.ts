/**
 * What partner agencies find on the declarations they received, given back to customs (the single
 * window seen from customs): recorded by the agency's users on the ledger, read by the agency (its
 * own), by customs officials (officers and supervisors for their offices' declarations) and, without
 * the agency's words, by the declaration's trader and declarant.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { isOfficeBound, Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { FindingKind, Severity } from './findings-kinds.ts';

export { FindingKind, findingKinds, findingTextMax, Severity, severities } from './findings-kinds.ts';

export interface FindingInput {
  declarationId: number;
  kind: FindingKind;
  severity: Severity;
  text: string;
}

/** A finding as customs and its agency read it; `text` and `createdBy` are absent for the trader. */
export interface AgencyFinding {
  id: number;
  declarationId: number;
  agency: string;
  agencyName: string;
  kind: FindingKind;
  severity: Severity;
  text?: string;
  createdBy?: string;
  createdAt: string;
}

export type FindingError =
  { code: 'forbidden'; message: string } | { code: 'declaration_not_found'; message: string };

const columns = `f.id::int8 AS id, f.declaration_id::int8 AS "declarationId", f.agency, a.name AS "agencyName",
  f.kind, f.severity, f.text, f.created_by AS "createdBy",
  to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/** The agency a partner agency user belongs to (its party), or why it may not act for one. */
export async function agencyOf(
  sql: Sql,
  actor: Actor,
): Promise<Result<{ code: string; name: string }, FindingError>> {
  if (actor.role !== Role.PartnerAgency || !actor.partyId)
    return err({
      code: 'forbidden',
      message:
        'your user belongs to no partner agency: an administrator sets its agency code (its party) before it may send findings',
    });
  const [agency] = await sql.query<{ code: string; name: string }>(
    'SELECT code, name FROM agencies WHERE code = $1',
    [actor.partyId],
  );
  if (!agency)
    return err({
      code: 'forbidden',
      message: `your user's agency ${actor.partyId} is not a registered partner agency: findings cannot be sent for it`,
    });
  return ok(agency);
}

/**
 * Records a finding of the caller's agency on a declaration the agency received (a delivery of
 * it to the agency); any other declaration, existing or not, is not found. The declaration is
 * locked for share, so archival cannot purge it while its finding is being recorded.
 */
export async function recordFinding(
  db: Database,
  actor: Actor,
  input: FindingInput,
): Promise<Result<AgencyFinding, FindingError>> {
  return db.transaction(async (tx) => {
    const agency = await agencyOf(tx, actor);
    if (!agency.ok) return agency;
    const [received] = await tx.query<{ trader: string }>(
      `SELECT d.trader_id AS trader FROM declarations d
       WHERE d.id = $1 AND EXISTS (
         SELECT 1 FROM sharing_delivery_declarations dd JOIN sharing_deliveries s ON s.id = dd.delivery_id
         WHERE dd.declaration_id = d.id AND s.agency = $2)
       FOR SHARE`,
      [input.declarationId, agency.value.code],
    );
    if (!received)
      return err({
        code: 'declaration_not_found',
        message: `no declaration ${input.declarationId} was delivered to agency ${agency.value.code}`,
      });
    const [row] = await tx.query<AgencyFinding>(
      `WITH f AS (
         INSERT INTO agency_findings (declaration_id, trader_id, agency, kind, severity, text, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *)
       SELECT ${columns} FROM f JOIN agencies a ON a.code = f.agency`,
      [
        input.declarationId,
        received.trader,
        agency.value.code,
        input.kind,
        input.severity,
        input.text,
        actor.username,
      ],
    );
    if (!row) throw new Error('the finding was not stored');
    await recordChange(tx, {
      actor: actor.username,
      action: 'agency_finding.recorded',
      subjectKind: SubjectKind.AgencyFinding,
      subjectId: String(row.id),
      data: {
        declaration: input.declarationId,
        agency: agency.value.code,
        kind: input.kind,
        severity: input.severity,
      },
    });
    return ok(row);
  });
}

export interface FindingFilter {
  agency?: string;
  declarationId?: number;
  kind?: FindingKind;
  /** Only findings on declarations of these offices (an officer's or supervisor's). */
  offices?: readonly string[];
  /** Keyset: findings with a smaller id than this (newest first). */
  before?: number;
  limit: number;
}

/** Findings newest first, one page; `next` is the cursor of the page after it, when there is one. */
export async function listFindings(
  sql: Sql,
  filter: FindingFilter,
): Promise<{ findings: AgencyFinding[]; next: number | null }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (condition: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (filter.agency !== undefined) add((n) => `f.agency = ${n}`, filter.agency);
  if (filter.declarationId !== undefined) add((n) => `f.declaration_id = ${n}`, filter.declarationId);
  if (filter.kind !== undefined) add((n) => `f.kind = ${n}`, filter.kind);
  if (filter.before !== undefined) add((n) => `f.id < ${n}`, filter.before);
  if (filter.offices !== undefined)
    add(
      (n) =>
        `EXISTS (SELECT 1 FROM declarations d WHERE d.id = f.declaration_id AND d.office = ANY(${n}::text[]))`,
      filter.offices,
    );
  params.push(filter.limit + 1);
  const rows = await sql.query<AgencyFinding>(
    `SELECT ${columns} FROM agency_findings f JOIN agencies a ON a.code = f.agency
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY f.id DESC LIMIT $${params.length}`,
    params,
  );
  const findings = rows.slice(0, filter.limit);
  const last = findings.at(-1);
  return { findings, next: rows.length > filter.limit && last ? last.id : null };
}

/**
 * A declaration's findings, oldest first, for a caller who may see the declaration: officers and
 * supervisors of its office, risk analysts and auditors read them whole; its trader and declarant
 * read which agency found what and how severe, not the agency's words or its user (a single window
 * tells the trader of a hold, the agency's file stays the agency's). A declaration outside `scope`
 * (its condition on alias `d` and parameters) is not found.
 */
export async function findingsOfDeclaration(
  sql: Sql,
  id: number,
  actor: Actor,
  scope: { condition: string; params: unknown[] },
): Promise<Result<{ office: string; findings: AgencyFinding[] }, FindingError>> {
  const params = [...scope.params, id];
  const [declaration] = await sql.query<{ office: string }>(
    `SELECT d.office FROM declarations d WHERE d.id = $${params.length} AND ${scope.condition}`,
    params,
  );
  if (!declaration) return err({ code: 'declaration_not_found', message: 'no such declaration' });
  if (isOfficeBound(actor.role) && !actor.offices.includes(declaration.office))
    return err({
      code: 'forbidden',
      message: `agency findings are read by the officials of office ${declaration.office}; you work at ${actor.offices.length ? actor.offices.join(', ') : 'no customs office'}`,
    });
  const rows = await sql.query<AgencyFinding>(
    `SELECT ${columns} FROM agency_findings f JOIN agencies a ON a.code = f.agency
     WHERE f.declaration_id = $1 ORDER BY f.id`,
    [id],
  );
  const party = actor.role === Role.Trader || actor.role === Role.Declarant;
  const findings = party ? rows.map(({ text: _text, createdBy: _by, ...shown }) => shown) : rows;
  return ok({ office: declaration.office, findings });
}

/**
 * Data-sharing agreements (ADR 0032): drafted by an administrator, approved or rejected by a second
 * official (an administrator or supervisor who is not the drafter), suspended at once by either,
 * resumed by another than the one who suspended, revoked for good. Every state change is one
 * conditional UPDATE, so of two concurrent decisions one wins and the other is refused, and a
 * ledger entry in the same transaction. An agreement is in force while active and within its days.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { Catalog } from '../declarations/catalog.ts';
import {
  grantedFields,
  grantedPaths,
  normalTerms,
  termsProblem,
  type AgreementTerms,
  type TermsContext,
  type TermsField,
} from './agreement-terms.ts';
import { termsDigest } from './terms-digest.ts';

export const AgreementStatus = {
  Draft: 'draft',
  Active: 'active',
  Rejected: 'rejected',
  Suspended: 'suspended',
  Revoked: 'revoked',
} as const;
export type AgreementStatus = (typeof AgreementStatus)[keyof typeof AgreementStatus];
export const agreementStatuses: readonly AgreementStatus[] = Object.values(AgreementStatus);

/** An agreement as stored: its terms (fields as catalog paths) and its workflow. */
export interface StoredAgreement extends AgreementTerms {
  id: number;
  status: AgreementStatus;
  draftedBy: string;
  draftedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  changedBy: string | null;
  changedAt: string | null;
  reason: string | null;
}

export type AgreementAction = 'edit' | 'approve' | 'reject' | 'suspend' | 'resume' | 'revoke';
export type Decision = Exclude<AgreementAction, 'edit'>;

export type AgreementError =
  | { code: 'invalid_agreement'; message: string; field: TermsField | 'reason' | 'termsDigest' }
  | { code: 'agreement_not_found'; message: string }
  | { code: 'four_eyes'; message: string }
  | { code: 'forbidden'; message: string }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'agreement_changed'; message: string };

/** In force on `day` (YYYY-MM-DD): active, and `day` within its validity days (inclusive). */
export const isInForce = (a: { status: string; validFrom: string; validTo: string }, day: string): boolean =>
  a.status === AgreementStatus.Active && a.validFrom <= day && day <= a.validTo;

/** The release label of the pseudonyms an agreement's deliveries carry (governance/pseudonyms.ts). */
export const releaseLabelOf = (id: number): string => `agreement-${id}`;

const officials: readonly string[] = [Role.Administrator, Role.Supervisor];

/**
 * An agreement as shown: fields with their WCO ID and name, the digest of its terms (which an
 * approval sends back), in force today, what `actor` may do.
 */
export function presentAgreement(a: StoredAgreement, actor: Actor | null, catalog: Catalog, today: string) {
  return {
    ...a,
    fields: grantedFields(catalog, a.fields),
    termsDigest: termsDigest(a),
    inForce: isInForce(a, today),
    releaseLabel: releaseLabelOf(a.id),
    allowed: actor ? allowedActions(a, actor) : [],
  };
}

/** What `actor` may do with the agreement now (the four-eyes rules included). */
export function allowedActions(a: StoredAgreement, actor: Actor): AgreementAction[] {
  if (!officials.includes(actor.role)) return [];
  const me = actor.username;
  switch (a.status) {
    case AgreementStatus.Draft:
      if (a.draftedBy === me) return actor.role === Role.Administrator ? ['edit'] : [];
      return ['approve', 'reject'];
    case AgreementStatus.Active:
      return ['suspend', 'revoke'];
    case AgreementStatus.Suspended:
      return a.changedBy === me ? ['revoke'] : ['resume', 'revoke'];
    default:
      return [];
  }
}

const columns = `a.id::int AS id, a.agency, a.purpose, a.legal_basis AS "legalBasis", a.fields,
  json_build_object('hsPrefixes', a.hs_prefixes, 'procedures', a.procedures, 'offices', a.offices,
    'declarationTypes', a.declaration_types) AS filters,
  a.level, a.delivery, a.webhook_url AS "webhookUrl",
  to_char(a.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(a.valid_to, 'YYYY-MM-DD') AS "validTo",
  a.status, a.drafted_by AS "draftedBy", a.drafted_at AS "draftedAt", a.decided_by AS "decidedBy",
  a.decided_at AS "decidedAt", a.changed_by AS "changedBy", a.changed_at AS "changedAt", a.reason`;

/** The agreements an actor may read: officials all, a partner agency user its agency's only. */
function scopeOf(actor: Actor): string | null | undefined {
  if (officials.includes(actor.role)) return undefined;
  if (actor.role === Role.PartnerAgency) return actor.partyId;
  return null;
}

export interface AgreementQuery {
  agency?: string;
  status?: AgreementStatus;
}

/** The agreements `actor` may read, newest first, filtered by agency and status. */
export async function listAgreements(
  sql: Sql,
  actor: Actor,
  q: AgreementQuery = {},
): Promise<StoredAgreement[]> {
  const scope = scopeOf(actor);
  if (scope === null) return [];
  return sql.query<StoredAgreement>(
    `SELECT ${columns} FROM sharing_agreements a
     WHERE ($1::text IS NULL OR a.agency = $1) AND ($2::text IS NULL OR a.agency = $2)
       AND ($3::text IS NULL OR a.status = $3)
     ORDER BY a.id DESC LIMIT 1000`,
    [scope ?? null, q.agency ?? null, q.status ?? null],
  );
}

/** One agreement, if `actor` may read it (else undefined: another agency's is not told to exist). */
export async function readAgreement(
  sql: Sql,
  actor: Actor,
  id: number,
): Promise<StoredAgreement | undefined> {
  const scope = scopeOf(actor);
  if (scope === null) return undefined;
  const found = await findAgreement(sql, id);
  return found && (scope === undefined || found.agency === scope) ? found : undefined;
}

/** One agreement; `forUpdate` locks its row until the transaction ends (a decision reading its terms). */
export async function findAgreement(
  sql: Sql,
  id: number,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<StoredAgreement | undefined> {
  const [row] = await sql.query<StoredAgreement>(
    `SELECT ${columns} FROM sharing_agreements a WHERE a.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

/** The agency's agreements in force on `day`. */
export function agreementsInForce(sql: Sql, agency: string, day: string): Promise<StoredAgreement[]> {
  return sql.query<StoredAgreement>(
    `SELECT ${columns} FROM sharing_agreements a
     WHERE a.agency = $1 AND a.status = 'active' AND a.valid_from <= $2::date AND $2::date <= a.valid_to
     ORDER BY a.id`,
    [agency, day],
  );
}

/** The terms checked against the dictionary, the code lists, the agencies and the offices. */
async function checkedTerms(
  sql: Sql,
  given: AgreementTerms,
  ctx: TermsContext,
): Promise<Result<AgreementTerms, AgreementError>> {
  const t = normalTerms(given);
  const [agency] = await sql.query('SELECT code FROM agencies WHERE code = $1', [t.agency]);
  if (!agency)
    return err({
      code: 'invalid_agreement',
      field: 'agency',
      message: `not an agency: "${t.agency.slice(0, 30)}"`,
    });
  const granted = grantedPaths(ctx.catalog, t.fields);
  if (!granted.ok) return err({ code: 'invalid_agreement', ...granted.problem });
  const problem = termsProblem(t, ctx);
  if (problem) return err({ code: 'invalid_agreement', ...problem });
  if (t.filters.offices.length > 0) {
    const known = await sql.query<{ code: string }>(
      'SELECT code FROM customs_offices WHERE code = ANY($1::text[])',
      [t.filters.offices],
    );
    const missing = t.filters.offices.filter((o) => !known.some((k) => k.code === o));
    if (missing.length > 0)
      return err({
        code: 'invalid_agreement',
        field: 'filters.offices',
        message: `not a customs office: ${missing.map((m) => `"${m.slice(0, 20)}"`).join(', ')}`,
      });
  }
  return ok({ ...t, fields: granted.paths });
}

const termsValues = (t: AgreementTerms) => [
  t.agency,
  t.purpose,
  t.legalBasis,
  t.fields,
  t.filters.hsPrefixes,
  t.filters.procedures,
  t.filters.offices,
  t.filters.declarationTypes,
  t.level,
  t.delivery,
  t.webhookUrl,
  t.validFrom,
  t.validTo,
];

/** What the ledger keeps of the terms. */
const termsData = (t: AgreementTerms): Record<string, unknown> => ({ ...t, filters: { ...t.filters } });

/** An administrator drafts an agreement (status draft, on the ledger). */
export async function draftAgreement(
  db: Database,
  terms: AgreementTerms,
  by: string,
  ctx: TermsContext,
): Promise<Result<StoredAgreement, AgreementError>> {
  return db.transaction(async (tx) => {
    const checked = await checkedTerms(tx, terms, ctx);
    if (!checked.ok) return checked;
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO sharing_agreements (agency, purpose, legal_basis, fields, hs_prefixes, procedures, offices,
         declaration_types, level, delivery, webhook_url, valid_from, valid_to, status, drafted_by)
       VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9, $10, $11,
         $12::date, $13::date, 'draft', $14)
       RETURNING id::int AS id`,
      [...termsValues(checked.value), by],
    );
    if (!row) throw new Error('agreement not stored');
    await recordChange(tx, {
      actor: by,
      action: 'sharing_agreement.drafted',
      subjectKind: SubjectKind.Agreement,
      subjectId: String(row.id),
      data: termsData(checked.value),
    });
    const stored = await findAgreement(tx, row.id);
    if (!stored) throw new Error('agreement not stored');
    return ok(stored);
  });
}

/** The drafter changes a draft's terms (given ones replace, the rest stay); on the ledger. */
export async function editDraft(
  db: Database,
  id: number,
  change: Partial<AgreementTerms>,
  by: string,
  ctx: TermsContext,
): Promise<Result<StoredAgreement, AgreementError>> {
  return db.transaction(async (tx) => {
    const current = await findAgreement(tx, id);
    if (!current) return err({ code: 'agreement_not_found', message: `no agreement ${id}` });
    if (current.status !== AgreementStatus.Draft)
      return err({
        code: 'action_not_allowed',
        message: `agreement ${id} is ${current.status}; only a draft is edited`,
      });
    if (current.draftedBy !== by)
      return err({
        code: 'forbidden',
        message: `agreement ${id} was drafted by ${current.draftedBy}, who alone edits it`,
      });
    const merged: AgreementTerms = {
      agency: change.agency ?? current.agency,
      purpose: change.purpose ?? current.purpose,
      legalBasis: change.legalBasis ?? current.legalBasis,
      fields: change.fields ?? current.fields,
      filters: { ...current.filters, ...change.filters },
      level: change.level ?? current.level,
      delivery: change.delivery ?? current.delivery,
      webhookUrl: change.webhookUrl !== undefined ? change.webhookUrl : current.webhookUrl,
      validFrom: change.validFrom ?? current.validFrom,
      validTo: change.validTo ?? current.validTo,
    };
    const checked = await checkedTerms(tx, merged, ctx);
    if (!checked.ok) return checked;
    const changed = await tx.query(
      `UPDATE sharing_agreements SET agency = $1, purpose = $2, legal_basis = $3, fields = $4::text[],
         hs_prefixes = $5::text[], procedures = $6::text[], offices = $7::text[], declaration_types = $8::text[],
         level = $9, delivery = $10, webhook_url = $11, valid_from = $12::date, valid_to = $13::date
       WHERE id = $14 AND status = 'draft' AND drafted_by = $15 RETURNING id`,
      [...termsValues(checked.value), id, by],
    );
    if (changed.length === 0)
      return err({ code: 'action_not_allowed', message: `agreement ${id} is no longer a draft` });
    await recordChange(tx, {
      actor: by,
      action: 'sharing_agreement.edited',
      subjectKind: SubjectKind.Agreement,
      subjectId: String(id),
      data: termsData(checked.value),
    });
    return ok((await findAgreement(tx, id)) ?? current);
  });
}
